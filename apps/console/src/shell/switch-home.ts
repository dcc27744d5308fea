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

const homesListeners = new Set<() => void>();

/** Calls `listener` whenever the district's list of Homes changed on this page; returns the unsubscribe. */
export function onDistrictHomesChanged(listener: () => void): () => void {
  homesListeners.add(listener);
  return () => homesListeners.delete(listener);
}

/** Tells the page the district's Homes changed (a Home was made), so the 当前之家 switcher reads them again. */
export function districtHomesChanged(): void {
  for (const listener of homesListeners) listener();
}
