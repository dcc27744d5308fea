import type { ApiContract, ApiResponse } from '@affection/server/contract';
import { type ApiClient, type ApiError, createApiClient } from '@affection/ui';
import { connection } from './connection.ts';
import { session } from './session.ts';

/** The console's typed client of the API contract. */
export type ConsoleApi = ApiClient<ApiContract>;

/** `GET /api/auth/me` and sign-in: the signed-in staff member and the session's CSRF token. */
export type StaffSession = ApiResponse<'GET /api/auth/me'>;

/** The signed-in staff member. */
export type Me = StaffSession['staff'];

/**
 * Watches every answer: no answer or a 5xx marks the connection lost (the banner shows and retries),
 * any other answer marks it back.
 */
const watchedFetch: typeof fetch = async (input, init) => {
  try {
    const response = await fetch(input, init);
    // A gateway's error page (no JSON) means the server is not reachable; a JSON error body is the server's own
    // answer (a refusal, even with 503), shown where the request was made.
    const isOurAnswer = (response.headers.get('content-type') ?? '').includes('application/json');
    if (response.status >= 500 && !isOurAnswer) connection.markLost();
    else connection.markBack();
    return response;
  } catch (error) {
    // A call the page itself aborted (leaving a screen) is not a lost connection.
    if (!(init?.signal?.aborted ?? false)) connection.markLost();
    throw error;
  }
};

/**
 * The console's one client: the staff session cookie goes along, the CSRF token of the session
 * is sent on every state-changing request, and a 401 shows the sign-in over the screen (which
 * stays mounted, so nothing typed is lost).
 */
export const api: ConsoleApi = createApiClient<ApiContract>({
  csrfToken: () => session.csrfToken(),
  onUnauthorized: (error: ApiError) => session.expire(error),
  fetch: watchedFetch,
});
