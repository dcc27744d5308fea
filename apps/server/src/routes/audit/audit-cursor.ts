import type { AuditLogCursor } from '@affection/db';

const SHAPE = /^(\d{1,15})\.(aud_[0-9a-z]{16})$/;

/** The cursor a page hands out: the last row's instant and id, opaque to the client (base64url). */
export function encodeAuditCursor(cursor: AuditLogCursor): string {
  return Buffer.from(`${cursor.at.getTime()}.${cursor.id}`, 'utf8').toString('base64url');
}

/** The row a cursor points after, or null when the text is not a cursor this API made. */
export function decodeAuditCursor(text: string): AuditLogCursor | null {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(text)) return null;
  const match = SHAPE.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) return null;
  const at = new Date(Number(match[1]));
  return Number.isNaN(at.getTime()) ? null : { at, id: match[2] as string };
}
