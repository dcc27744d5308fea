import type { ConsoleApi } from './console-api.ts';
import { session } from './session.ts';

/**
 * Makes `homeId` (a Home of the district admin's district; null for none) the Home this session works on, then asks
 * who is signed in again, so the shell and every screen follow the new Home.
 */
export async function switchHome(api: ConsoleApi, homeId: string | null): Promise<void> {
  await api.call('POST /api/district/current-home', { body: { homeId } });
  session.signIn(await api.call('GET /api/auth/me'));
}
