// The composition root's public API (filled in as the mains move here).
export {};
