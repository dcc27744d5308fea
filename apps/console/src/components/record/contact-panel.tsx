import type { ApiResponse } from '@affection/server/contract';
import type { ApiError, Locale, Translate } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleApi } from '../../shell/console-api.ts';
import { problemText } from '../common/api-problem.ts';
import { Banner } from '../common/banner.tsx';
import { Button } from '../common/button.tsx';
import { formatInZone } from '../common/zoned-time.tsx';
import { AvailabilityEditor } from './availability-editor.tsx';

type Contact = ApiResponse<'GET /api/contacts/{id}'>;
type Device = ApiResponse<'GET /api/contacts/{id}/devices'>['items'][number];
type Link = ApiResponse<'GET /api/contacts/{id}/enrolment-links'>['items'][number];

/** Options of {@link ContactPanel}. */
export interface ContactPanelProps {
  api: ConsoleApi;
  contactId: string;
  /** The Home's zone, for dates. */
  zone: string;
  t: Translate;
  locale: Locale;
}

/**
 * One contact's own panel: the whole phone number (this read is audited), the phones signed in on the family page
 * and the contact-card links, each with revoke, and the availability windows.
 */
export function ContactPanel({ api, contactId, zone, t, locale }: ContactPanelProps) {
  const [contact, setContact] = useState<Contact | null>(null);
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [links, setLinks] = useState<Link[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const loadAccess = () => {
    api
      .call('GET /api/contacts/{id}/devices', { params: { id: contactId } })
      .then((a) => setDevices(a.items), setError);
    api
      .call('GET /api/contacts/{id}/enrolment-links', { params: { id: contactId } })
      .then((a) => setLinks(a.items), setError);
  };
  useEffect(() => {
    api.call('GET /api/contacts/{id}', { params: { id: contactId } }).then(setContact, setError);
    loadAccess();
    // biome-ignore lint/correctness/useExhaustiveDependencies: loads once per contact
  }, [api, contactId]);

  const revoke = async (kind: 'device' | 'link', id: string) => {
    setBusyId(id);
    setError(null);
    try {
      if (kind === 'device') await api.call('POST /api/family-devices/{id}/revoke', { params: { id } });
      else await api.call('POST /api/family-enrolments/{id}/revoke', { params: { id } });
      loadAccess();
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusyId(null);
    }
  };
  const when = (at: string) => formatInZone(at, zone, locale, 'date-time');

  return (
    <div class="contact-panel">
      {error && <Banner kind="warn">{problemText(error, t)}</Banner>}
      <dl class="facts">
        <dt>{t('console.record.phone-whole')}</dt>
        <dd class="phone-whole">{contact ? contact.phone : '…'}</dd>
        {contact && (
          <>
            <dt>{t('console.record.language')}</dt>
            <dd>{contact.language === 'zh-CN' ? '中文' : 'English'}</dd>
            <dt>{t('console.record.phone-fallback')}</dt>
            <dd>{contact.phoneFallback ? t('console.record.yes') : t('console.record.no')}</dd>
            <dt>{t('console.record.sms')}</dt>
            <dd>{contact.smsOptOut ? t('console.record.sms-off') : t('console.record.sms-on')}</dd>
          </>
        )}
      </dl>

      <AvailabilityEditor api={api} contactId={contactId} homeZone={zone} t={t} locale={locale} />

      <section aria-labelledby={`devices-${contactId}`}>
        <h3 id={`devices-${contactId}`}>{t('console.record.devices')}</h3>
        {devices && devices.length === 0 && <p class="muted">{t('console.record.no-devices')}</p>}
        <ul class="plain-list">
          {devices?.map((device) => (
            <li key={device.id} class="access-row">
              <span>
                {t(`console.record.via-${device.via}`)} ·{' '}
                {t('console.record.last-seen', { at: when(device.lastSeenAt) })} ·{' '}
                <span class={`status status-${device.status}`}>{t(`console.record.access-${device.status}`)}</span>
              </span>
              {device.status === 'active' && (
                <Button kind="danger" busy={busyId === device.id} onClick={() => revoke('device', device.id)}>
                  {t('console.record.sign-out-device')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby={`links-${contactId}`}>
        <h3 id={`links-${contactId}`}>{t('console.record.links')}</h3>
        {links && links.length === 0 && <p class="muted">{t('console.record.no-links')}</p>}
        <ul class="plain-list">
          {links?.map((link) => (
            <li key={link.id} class="access-row">
              <span>
                {t('console.record.link-made', { at: when(link.createdAt) })} ·{' '}
                {t('console.record.link-until', { at: when(link.expiresAt) })} ·{' '}
                <span class={`status status-${link.status}`}>{t(`console.record.access-${link.status}`)}</span>
              </span>
              {link.status === 'active' && (
                <Button kind="danger" busy={busyId === link.id} onClick={() => revoke('link', link.id)}>
                  {t('console.record.revoke-link')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
