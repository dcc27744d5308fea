import type { ApiResponse } from '@affection/server/contract';
import type { ApiError, Locale, Translate } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleApi } from '../../shell/console-api.ts';
import { problemText } from '../common/api-problem.ts';
import { Banner } from '../common/banner.tsx';
import { Button } from '../common/button.tsx';
import { Dialog } from '../common/dialog.tsx';
import { formatInZone } from '../common/zoned-time.tsx';
import type { CardContact } from './card-types.ts';
import { relationWord } from './card-words.ts';

type Link = ApiResponse<'GET /api/contacts/{id}/enrolment-links'>['items'][number];

/** Options of {@link OlderLinks}. */
export interface OlderLinksProps {
  api: ConsoleApi;
  t: Translate;
  locale: Locale;
  homeZone: string;
  contact: CardContact;
  /** Links made by this print run: marked, listed but not offered first. */
  freshIds: readonly string[];
  /** Changes when a print run made new links: the list is read again. */
  version: number;
}

/**
 * A parent's enrolment links (QR codes), newest first, with a revoke button on each that still
 * works; revoking asks first, then says how many phones it signed out.
 */
export function OlderLinks({ api, t, locale, homeZone, contact, freshIds, version }: OlderLinksProps) {
  const [links, setLinks] = useState<Link[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [asking, setAsking] = useState<Link | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    api.call('GET /api/contacts/{id}/enrolment-links', { params: { id: contact.id }, signal: controller.signal }).then(
      (answer) => {
        setLinks(answer.items);
        setError(null);
      },
      (failure: ApiError) => {
        if (!controller.signal.aborted) setError(failure);
      },
    );
    return () => controller.abort();
  }, [api, contact.id, version, reload]);

  const revoke = async (link: Link) => {
    setBusy(true);
    try {
      const answer = await api.call('POST /api/family-enrolments/{id}/revoke', { params: { id: link.id } });
      setDone(t('console.cards.revoked', { count: answer.signedOutPhones }));
      setAsking(null);
      setReload((n) => n + 1);
    } catch (failure) {
      setError(failure as ApiError);
      setAsking(null);
    } finally {
      setBusy(false);
    }
  };

  const dateOf = (link: Link) => formatInZone(link.createdAt, homeZone, locale, 'date-time');
  const made = (link: Link) => t('console.cards.link-made', { date: dateOf(link) });
  return (
    <section
      class="older-links"
      data-contact={contact.id}
      aria-label={t('console.cards.older-of', { name: contact.name, relation: relationWord(t, contact.relation) })}
    >
      <h3>{t('console.cards.older-of', { name: contact.name, relation: relationWord(t, contact.relation) })}</h3>
      {done && <Banner kind="ok">{done}</Banner>}
      {error && <Banner kind="warn">{problemText(error, t)}</Banner>}
      {links && links.length === 0 && <p class="muted">{t('console.cards.older-none')}</p>}
      {links && links.length > 0 && (
        <ul class="plain-list">
          {links.map((link) => (
            <li key={link.id} class="older-link" data-link={link.id} data-status={link.status}>
              <span>{made(link)}</span>
              <span class={`link-status link-status-${link.status}`}>
                {freshIds.includes(link.id)
                  ? t('console.cards.link-new')
                  : t(`console.cards.link-status.${link.status}`)}
              </span>
              {link.status === 'active' && !freshIds.includes(link.id) && (
                <Button
                  kind="danger"
                  onClick={() => setAsking(link)}
                  aria-label={t('console.cards.revoke-label', { date: dateOf(link) })}
                >
                  {t('console.cards.revoke')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {asking && (
        <Dialog
          title={t('console.cards.revoke-title')}
          onClose={() => setAsking(null)}
          closeLabel={t('console.common.close')}
        >
          <p>{t('console.cards.revoke-body')}</p>
          <p>{made(asking)}</p>
          <div class="form-actions">
            <Button kind="danger" busy={busy} onClick={() => revoke(asking)}>
              {t('console.cards.revoke')}
            </Button>
            <Button onClick={() => setAsking(null)}>{t('console.common.cancel')}</Button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
