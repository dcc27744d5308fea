import type { Translate } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import { type AudioHealth, audioHealth, onAudioHealth } from '../audio/kiosk-audio.ts';
import { SoundOffIcon } from './icons.tsx';

/** Props of {@link KioskCorner}. */
export interface KioskCornerProps {
  t: Translate;
  /** This kiosk's name (一号机…), once the server has said it. */
  kioskName: string | undefined;
}

/** The sound's state, kept up to date. */
function useAudioHealth(): AudioHealth {
  const [health, setHealth] = useState(audioHealth);
  useEffect(() => onAudioHealth(setHealth), []);
  return health;
}

/**
 * Small print in a corner, for the teacher: which kiosk this is, and a flag when it cannot play sound
 * (the children would not hear the prompts).
 */
export function KioskCorner({ t, kioskName }: KioskCornerProps) {
  const health = useAudioHealth();
  if (!kioskName && health !== 'no-output') return null;
  return (
    <aside class="corner" data-audio={health}>
      {health === 'no-output' ? (
        <span class="corner__flag" role="status">
          <SoundOffIcon size={22} />
          {t('kiosk.audio.none')}
        </span>
      ) : null}
      {kioskName ? <span class="corner__name">{t('kiosk.corner.this-kiosk', { kiosk: kioskName })}</span> : null}
    </aside>
  );
}
