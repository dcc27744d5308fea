import type { ApiResponse } from '@affection/server/contract';

/** A kiosk as `GET /api/kiosks` lists it, with its last contact and app version. */
export type KioskItem = ApiResponse<'GET /api/kiosks'>['items'][number];

/** A kiosk with a one-time enrolment code just issued (added, or a new code). */
export type KioskWithCode = ApiResponse<'POST /api/kiosks'>;
