/**
 * Where staff's pages load a child's kiosk photo: the version (a hash of the bytes) is in the URL, so
 * a browser may keep the picture until it changes. Null when the child has no photo.
 *
 * @example childPhotoUrlOf('chd_7m2k9x4q1b8c0d5e', '3f2a…') → '/api/children/chd_7m2k9x4q1b8c0d5e/photo?v=3f2a…'
 */
export function childPhotoUrlOf(childId: string, photoVersion: string | null): string | null {
  return photoVersion === null ? null : `/api/children/${childId}/photo?v=${photoVersion}`;
}

/** Where an enrolled kiosk loads a child's photo (with its device token), versioned the same way. */
export function kioskChildPhotoUrlOf(childId: string, photoVersion: string | null): string | null {
  return photoVersion === null ? null : `/api/kiosk/children/${childId}/photo?v=${photoVersion}`;
}
