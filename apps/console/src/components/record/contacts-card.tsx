import type { ApiError, Locale, Translate } from '@affection/ui';
import { useState } from 'preact/hooks';
import type { ConsoleApi, Me } from '../../shell/console-api.ts';
import { problemText } from '../common/api-problem.ts';
import { Banner } from '../common/banner.tsx';
import { Button } from '../common/button.tsx';
import { Dialog } from '../common/dialog.tsx';
import { AddContactForm } from './add-contact-form.tsx';
import { ContactPanel } from './contact-panel.tsx';
import type { ContactSummary } from './record-types.ts';

/** Options of {@link ContactsCard}. */
export interface ContactsCardProps {
  api: ConsoleApi;
  me: Me;
  contacts: readonly ContactSummary[];
  householdId: string;
  /** No contact can be added to a household that left. */
  householdArchived: boolean;
  zone: string;
  t: Translate;
  locale: Locale;
  /** Reads the household again after a change. */
  onChanged: () => void;
}

/**
 * The household's contacts, numbers masked: status, guardian consent, and the actions — approve (the Home's admin),
 * record consent, revoke (with a confirmation) — and "open" for the contact's own panel.
 */
export function ContactsCard({
  api,
  me,
  contacts,
  householdId,
  householdArchived,
  zone,
  t,
  locale,
  onChanged,
}: ContactsCardProps) {
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [revoking, setRevoking] = useState<ContactSummary | null>(null);

  const act = async (contact: ContactSummary, action: 'approve' | 'consent' | 'revoke') => {
    setBusy(`${contact.id}-${action}`);
    setError(null);
    try {
      if (action === 'approve') await api.call('POST /api/contacts/{id}/approve', { params: { id: contact.id } });
      if (action === 'consent') await api.call('POST /api/contacts/{id}/consent', { params: { id: contact.id } });
      if (action === 'revoke') await api.call('POST /api/contacts/{id}/revoke', { params: { id: contact.id } });
      setRevoking(null);
      onChanged();
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="card record-card is-first" aria-labelledby="record-contacts">
      <div class="card-head">
        <h2 id="record-contacts">{t('console.record.contacts')}</h2>
        {!householdArchived && !adding && (
          <Button onClick={() => setAdding(true)}>{t('console.record.add-contact')}</Button>
        )}
      </div>
      {adding && (
        <AddContactForm
          api={api}
          householdId={householdId}
          t={t}
          locale={locale}
          onAdded={() => {
            setAdding(false);
            onChanged();
          }}
          onCancel={() => setAdding(false)}
        />
      )}
      {error && <Banner kind="warn">{problemText(error, t)}</Banner>}
      {contacts.length === 0 && <p class="muted">{t('console.record.no-contacts')}</p>}
      <ul class="plain-list contact-list">
        {contacts.map((contact) => (
          <li key={contact.id} class="contact-item">
            <div class="contact-line">
              <div class="contact-who">
                <strong>{contact.name}</strong> · {t(`console.relation.${contact.relation}`)}
                <div class="muted">
                  <span class="masked-phone" title={t('console.common.phone-masked')}>
                    {contact.phoneMasked}
                  </span>{' '}
                  · {t(`console.channel.${contact.channel}`)}
                  {contact.city ? ` · ${contact.city}` : ''} · {contact.timeZone}
                </div>
                <div>
                  <span class={`status status-${contact.status}`}>{t(`console.record.status-${contact.status}`)}</span>{' '}
                  <span class={contact.consentRecordedAt ? 'status status-approved' : 'status status-pending'}>
                    {contact.consentRecordedAt ? t('console.record.consent-yes') : t('console.record.consent-no')}
                  </span>
                </div>
              </div>
              <div class="contact-actions">
                {contact.status === 'pending' && me.role === 'admin' && (
                  <Button
                    kind="primary"
                    busy={busy === `${contact.id}-approve`}
                    onClick={() => act(contact, 'approve')}
                  >
                    {t('console.record.approve')}
                  </Button>
                )}
                {contact.status === 'pending' && me.role !== 'admin' && (
                  <span class="muted">{t('console.record.approve-by-admin')}</span>
                )}
                {!contact.consentRecordedAt && contact.status !== 'revoked' && (
                  <Button busy={busy === `${contact.id}-consent`} onClick={() => act(contact, 'consent')}>
                    {t('console.record.record-consent')}
                  </Button>
                )}
                <Button
                  aria-expanded={open === contact.id}
                  aria-controls={`contact-panel-${contact.id}`}
                  onClick={() => setOpen(open === contact.id ? null : contact.id)}
                >
                  {open === contact.id ? t('console.record.close-contact') : t('console.record.open-contact')}
                </Button>
                {contact.status !== 'revoked' && (
                  <Button kind="danger" onClick={() => setRevoking(contact)}>
                    {t('console.record.revoke')}
                  </Button>
                )}
              </div>
            </div>
            {open === contact.id && (
              <div id={`contact-panel-${contact.id}`}>
                <ContactPanel api={api} contactId={contact.id} zone={zone} t={t} locale={locale} />
              </div>
            )}
          </li>
        ))}
      </ul>
      {revoking && (
        <Dialog
          title={t('console.record.revoke-title', { name: revoking.name })}
          onClose={() => setRevoking(null)}
          closeLabel={t('console.common.close')}
        >
          <p>{t('console.record.revoke-explain')}</p>
          <div class="form-actions">
            <Button kind="danger" busy={busy === `${revoking.id}-revoke`} onClick={() => act(revoking, 'revoke')}>
              {t('console.record.revoke-confirm')}
            </Button>
            <Button onClick={() => setRevoking(null)}>{t('console.common.cancel')}</Button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
