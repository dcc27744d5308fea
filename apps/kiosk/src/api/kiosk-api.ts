import type { ApiContract, ApiResponse } from '@affection/server/contract';
import { type ApiClient, createApiClient } from '@affection/ui';
import { version as KIOSK_APP_VERSION } from '../../package.json';
import { audioHealth } from '../audio/kiosk-audio.ts';

/** `GET /api/kiosk/calls`: the calls due now or soon, and the server's clock. */
export type KioskCallList = ApiResponse<'GET /api/kiosk/calls'>;

/** A call due now or soon. */
export type KioskCall = KioskCallList['calls'][number];

/** A child on a call: first name and the colour behind their initials. */
export type KioskCallChild = KioskCall['children'][number];

/** Who calls, as the child says it. */
export type Relation = KioskCall['callers'][number]['relation'];

/** `POST /api/kiosk/calls/{id}/join`: where and how to join the call's room. */
export type KioskCallJoin = ApiResponse<'POST /api/kiosk/calls/{id}/join'>;

/** The kiosk's typed client of the API contract. */
export type KioskApi = ApiClient<ApiContract>;

/** Options for {@link createKioskApi}. */
export interface KioskApiOptions {
  /** The device token, read on every request (it changes on enrolment). */
  token: () => string | null;
  /** Called when the server no longer knows this kiosk (401): revoked or re-coded. */
  onUnauthorized: () => void;
}

/**
 * The shared client with the kiosk's credentials (`Authorization: Kiosk <token>`); every request also says which
 * version of the app this is (`X-Kiosk-Version`) and whether it can play sound (`X-Kiosk-Audio`: `ok`, `no-output`,
 * `locked` before the first tap), shown to the admin beside the kiosk's last contact.
 */
export function createKioskApi(options: KioskApiOptions): KioskApi {
  return createApiClient<ApiContract>({
    authorization: () => {
      const token = options.token();
      return token ? `Kiosk ${token}` : null;
    },
    onUnauthorized: options.onUnauthorized,
    fetch: (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('X-Kiosk-Version', KIOSK_APP_VERSION);
      headers.set('X-Kiosk-Audio', audioHealth());
      return fetch(input, { ...init, headers });
    },
  });
}
