// The booking layer's public API (filled in as operations move here).
export {};
