import { AppError } from '@affection/core';
import { type Db, getKioskCall, type KioskCallChild, type KioskCallRecord } from '@affection/db';

/**
 * The kiosk's Home's booking and one of its children, or 404: another Home's booking, or a child
 * not on it, are both "not found" to a kiosk.
 */
export async function requireKioskCall(
  db: Db,
  homeId: string,
  bookingId: string,
  childId: string,
): Promise<{ call: KioskCallRecord; child: KioskCallChild }> {
  const call = await getKioskCall(db, homeId, bookingId);
  if (!call) throw new AppError('not-found', 'No such call for this kiosk.');
  const child = call.children.find((c) => c.id === childId);
  if (!child) throw new AppError('not-found', 'This child is not on this call.');
  return { call, child };
}
