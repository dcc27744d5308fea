import type { ApiResponse } from '@affection/server/contract';
import type { Translate } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import type { KioskApi, KioskCall } from '../api/kiosk-api.ts';

/** `GET /api/kiosk/me`: this kiosk (id, name) and its Home. */
export type ThisKiosk = ApiResponse<'GET /api/kiosk/me'>;

/** How often the kiosk asks its own name again, when the first ask failed (network down at start-up). */
const RETRY_MS = 30_000;

/** This kiosk as the server knows it, asked once it is enrolled (again after a failure); undefined until then. */
export function useThisKiosk(api: KioskApi, enrolled: boolean): ThisKiosk | undefined {
  const [kiosk, setKiosk] = useState<ThisKiosk | undefined>(undefined);
  useEffect(() => {
    setKiosk(undefined);
    if (!enrolled) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = () => {
      api
        .call('GET /api/kiosk/me')
        .then((me) => {
          if (!stopped) setKiosk(me);
        })
        .catch(() => {
          if (!stopped) timer = setTimeout(ask, RETRY_MS);
        });
    };
    ask();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, enrolled]);
  return kiosk;
}

/**
 * What a tile says when its call is on another kiosk ("请到2号机"; "请到另一台亲情电话" when that kiosk has this
 * one's name too); null when the call is on this kiosk. Decided by the kiosks' ids (the server's
 * `isThisKiosk` until this kiosk knows its own id), never by their names.
 */
export function whereToGo(
  t: Translate,
  call: KioskCall,
  thisKiosk: Pick<ThisKiosk, 'id' | 'name'> | undefined,
): string | null {
  const isHere = thisKiosk ? call.kiosk.id === thisKiosk.id : call.kiosk.isThisKiosk;
  if (isHere) return null;
  if (thisKiosk && call.kiosk.name.trim() === thisKiosk.name.trim()) return t('kiosk.tile.other-kiosk-same-name');
  return t('kiosk.tile.other-kiosk', { kiosk: call.kiosk.name });
}
