import { AppError, type District } from '@affection/core';
import { type Db, getDistrict } from '@affection/db';

/** The district of the caller; a district deleted under a live session is treated as signed out. */
export async function loadCallerDistrict(db: Db, districtId: string): Promise<District> {
  const district = await getDistrict(db, districtId);
  if (!district) throw new AppError('unauthenticated', 'Please sign in first.');
  return district;
}
