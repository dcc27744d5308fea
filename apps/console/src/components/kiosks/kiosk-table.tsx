import type { Locale, Translate } from '@affection/ui';
import { Button } from '../common/button.tsx';
import { formatInZone } from '../common/zoned-time.tsx';
import type { KioskItem } from './kiosk-types.ts';
import { isContactStale, lastContactText } from './last-contact.ts';

/** Options of {@link KioskTable}. */
export interface KioskTableProps {
  t: Translate;
  locale: Locale;
  /** The Home's zone, for the exact time of a last contact. */
  zone: string;
  kiosks: readonly KioskItem[];
  /** The page's clock (moved on every half minute, so "3分钟前" stays true). */
  now: Date;
  /** The kiosk whose action is running. */
  busyId: string | null;
  onRename: (kiosk: KioskItem) => void;
  onToggle: (kiosk: KioskItem) => void;
  onNewCode: (kiosk: KioskItem) => void;
  onRevoke: (kiosk: KioskItem) => void;
}

/** The kiosk's sound as it last reported: 声音正常, 没有声音, or 未检测 (never said, or no tap yet since it started). */
function SoundCell({ t, kiosk, zone, locale }: { t: Translate; kiosk: KioskItem; zone: string; locale: Locale }) {
  const checkedAt = kiosk.audioCheckedAt ? formatInZone(kiosk.audioCheckedAt, zone, locale, 'date-time') : undefined;
  if (kiosk.audioState === 'ok') {
    return (
      <span class="kiosk-sound-ok" title={checkedAt}>
        {t('console.kiosks.sound.ok')}
      </span>
    );
  }
  if (kiosk.audioState === 'no-output') {
    return (
      <span class="kiosk-sound-none" title={checkedAt}>
        {t('console.kiosks.sound.none')}
        <span class="kiosk-sound-hint">{t('console.kiosks.sound.none-hint')}</span>
      </span>
    );
  }
  return (
    <span class="muted" title={checkedAt}>
      {t('console.kiosks.sound.unchecked')}
    </span>
  );
}

function enrolmentWord(t: Translate, kiosk: KioskItem): string {
  if (kiosk.status === 'revoked') return t('console.kiosks.status.revoked');
  if (kiosk.status === 'enrolled') return t('console.kiosks.status.enrolled');
  return kiosk.enrolmentCodeActive ? t('console.kiosks.status.code-waiting') : t('console.kiosks.status.not-enrolled');
}

/**
 * The Home's kiosks: name, on or off for calls, enrolled or not, the last contact with the server ("3分钟前",
 * the exact time on hover), the app version, the sound as the kiosk reports it, the self-test (none yet), and the
 * actions.
 */
export function KioskTable({
  t,
  locale,
  zone,
  kiosks,
  now,
  busyId,
  onRename,
  onToggle,
  onNewCode,
  onRevoke,
}: KioskTableProps) {
  return (
    <div class="kiosk-scroll">
      <table class="kiosk-table">
        <thead>
          <tr>
            <th scope="col">{t('console.kiosks.col-name')}</th>
            <th scope="col">{t('console.kiosks.col-state')}</th>
            <th scope="col">{t('console.kiosks.col-contact')}</th>
            <th scope="col">{t('console.kiosks.col-version')}</th>
            <th scope="col">{t('console.kiosks.col-sound')}</th>
            <th scope="col">{t('console.kiosks.col-selftest')}</th>
            <th scope="col">{t('console.kiosks.col-actions')}</th>
          </tr>
        </thead>
        <tbody>
          {kiosks.map((kiosk) => {
            const busy = busyId === kiosk.id;
            const revoked = kiosk.status === 'revoked';
            return (
              <tr key={kiosk.id} data-kiosk={kiosk.id} data-status={kiosk.status}>
                <th scope="row" class="kiosk-name">
                  {kiosk.name}
                </th>
                <td>
                  <span class={`kiosk-badge ${kiosk.enabled && !revoked ? 'kiosk-on' : 'kiosk-off'}`}>
                    {revoked
                      ? t('console.kiosks.off-revoked')
                      : kiosk.enabled
                        ? t('console.kiosks.on')
                        : t('console.kiosks.off')}
                  </span>
                  <div class={`kiosk-enrolment kiosk-enrolment-${kiosk.status}`}>{enrolmentWord(t, kiosk)}</div>
                </td>
                <td class="kiosk-contact">
                  {kiosk.lastSeenAt ? (
                    <time
                      dateTime={kiosk.lastSeenAt}
                      title={formatInZone(kiosk.lastSeenAt, zone, locale, 'date-time')}
                      class={isContactStale(kiosk.lastSeenAt, now) ? 'kiosk-stale' : undefined}
                    >
                      {lastContactText(t, kiosk.lastSeenAt, now)}
                    </time>
                  ) : (
                    <span class="muted">{lastContactText(t, null, now)}</span>
                  )}
                </td>
                <td class="kiosk-version">{kiosk.appVersion ?? <span class="muted">—</span>}</td>
                <td class="kiosk-sound" data-sound={kiosk.audioState ?? 'unknown'}>
                  <SoundCell t={t} kiosk={kiosk} zone={zone} locale={locale} />
                </td>
                <td class="muted">{t('console.kiosks.no-selftest')}</td>
                <td>
                  <div class="kiosk-actions">
                    <Button disabled={busy} onClick={() => onRename(kiosk)}>
                      {t('console.kiosks.rename')}
                    </Button>
                    {!revoked && (
                      <Button busy={busy} onClick={() => onToggle(kiosk)}>
                        {kiosk.enabled ? t('console.kiosks.turn-off') : t('console.kiosks.turn-on')}
                      </Button>
                    )}
                    <Button disabled={busy} onClick={() => onNewCode(kiosk)}>
                      {revoked || kiosk.status === 'awaiting-enrolment'
                        ? t('console.kiosks.get-code')
                        : t('console.kiosks.re-enrol')}
                    </Button>
                    {!revoked && (
                      <Button kind="danger" disabled={busy} onClick={() => onRevoke(kiosk)}>
                        {t('console.kiosks.revoke')}
                      </Button>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
