import type { ApiError } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import { problemText } from '../components/common/api-problem.ts';
import { Banner } from '../components/common/banner.tsx';
import { Button } from '../components/common/button.tsx';
import type { CardContact, CardsAnswer, FreshLink, HouseholdCard } from '../components/contact-card/card-types.ts';
import { relationWord } from '../components/contact-card/card-words.ts';
import { ContactCard } from '../components/contact-card/contact-card.tsx';
import '../components/contact-card/contact-card.css';
import { HouseholdPicker, type PickedHousehold } from '../components/contact-card/household-picker.tsx';
import { OlderLinks } from '../components/contact-card/older-links.tsx';
import type { ScreenProps } from '../shell/screen-props.ts';

/** The households named in the address: `#/cards?household=hsh_…` (several: comma-separated or repeated). */
function householdsIn(query: URLSearchParams): string[] {
  const ids = query.getAll('household').flatMap((value) => value.split(','));
  return [...new Set(ids.map((id) => id.trim()).filter((id) => /^hsh_[0-9a-z]{16}$/.test(id)))];
}

/** Every card to print: one per approved contact of each household, in the households' order. */
function printableOf(answer: CardsAnswer | null): { card: HouseholdCard; contact: CardContact }[] {
  return (answer?.cards ?? []).flatMap((card) =>
    card.contacts.filter((contact) => contact.approved).map((contact) => ({ card, contact })),
  );
}

/**
 * 联系卡: choose households (or come with one from a child's record), see their cards, then print
 * them on A4 (four a page). Printing makes a fresh enrolment link per parent for the QR code and
 * lists the parent's earlier links, each with a revoke button.
 */
export default function ContactCardsScreen({ api, t, locale, route }: ScreenProps) {
  const [picked, setPicked] = useState<PickedHousehold[]>(() =>
    householdsIn(route.query).map((id) => ({ id, label: id })),
  );
  const [answer, setAnswer] = useState<CardsAnswer | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const [links, setLinks] = useState<Map<string, FreshLink>>(new Map());
  const [making, setMaking] = useState(false);
  const [printRequest, setPrintRequest] = useState(0);
  const [version, setVersion] = useState(0);

  const load = async (households: readonly PickedHousehold[]) => {
    if (households.length === 0) return;
    setLoading(true);
    setLinks(new Map());
    try {
      const next = await api.call('GET /api/contact-cards', {
        query: { households: households.map((h) => h.id).join(',') },
      });
      setAnswer(next);
      setError(null);
      // Name the households the address brought, now that their cards say who they are.
      setPicked(
        households.map((h) => {
          const card = next.cards.find((c) => c.household.id === h.id);
          const child = card?.children[0]?.name;
          return card && h.label === h.id
            ? { id: h.id, label: child ? `${card.household.name}（${child}）` : card.household.name }
            : h;
        }),
      );
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setLoading(false);
    }
  };

  // Coming from a record with a household in the address: show its card at once.
  useEffect(() => {
    if (picked.length > 0) load(picked);
  }, []);

  useEffect(() => {
    if (printRequest > 0) window.print();
  }, [printRequest]);

  const choose = (next: PickedHousehold[]) => {
    setPicked(next);
    setAnswer(null);
    setLinks(new Map());
  };

  const printable = printableOf(answer);
  const makeAndPrint = async () => {
    setMaking(true);
    setError(null);
    const made = new Map<string, FreshLink>();
    try {
      for (const { contact } of printable) {
        const link = await api.call('POST /api/contacts/{id}/enrolment-link', { params: { id: contact.id }, body: {} });
        made.set(contact.id, { id: link.id, url: link.url });
      }
      setLinks(made);
      setVersion((n) => n + 1);
      setPrintRequest((n) => n + 1);
    } catch (failure) {
      // Links already made still work; they are listed below and can be revoked.
      setLinks(made);
      setVersion((n) => n + 1);
      setError(failure as ApiError);
    } finally {
      setMaking(false);
    }
  };

  const notes = (answer?.cards ?? []).flatMap((card) => [
    ...(card.contacts.some((c) => c.approved)
      ? []
      : [t('console.cards.no-parent', { household: card.household.name })]),
    ...card.contacts
      .filter((c) => !c.approved)
      .map((c) => t('console.cards.not-approved', { name: c.name, relation: relationWord(t, c.relation) })),
  ]);
  const freshIds = [...links.values()].map((link) => link.id);
  const isPrinted = links.size > 0 && links.size === printable.length;

  return (
    <div class="screen cards-screen">
      <div class="no-print">
        <h1>{t('console.nav.cards')}</h1>
        <p class="screen-intro">{t('console.cards.intro')}</p>
      </div>
      <HouseholdPicker api={api} t={t} picked={picked} onPicked={choose} />
      <section class="card no-print picked-households" aria-live="polite">
        <p>
          <strong>{t('console.cards.selected', { count: picked.length })}</strong>
        </p>
        {picked.length > 0 && (
          <ul class="picked-list">
            {picked.map((h) => (
              <li key={h.id}>
                <span>{h.label}</span>
                <Button
                  kind="quiet"
                  aria-label={t('console.cards.unselect', { household: h.label })}
                  onClick={() => choose(picked.filter((p) => p.id !== h.id))}
                >
                  ×
                </Button>
              </li>
            ))}
          </ul>
        )}
        <div class="form-actions">
          <Button
            kind={answer ? 'plain' : 'primary'}
            busy={loading}
            onClick={() => load(picked)}
            disabled={picked.length === 0}
          >
            {t('console.cards.show')}
          </Button>
        </div>
        {picked.length === 0 && <p class="muted">{t('console.cards.none-selected')}</p>}
      </section>
      {error && (
        <div class="no-print">
          <Banner kind="warn">{problemText(error, t)}</Banner>
        </div>
      )}
      {answer && (
        <section class="cards-preview" aria-labelledby="cards-preview">
          <div class="no-print cards-actions">
            <h2 id="cards-preview">{t('console.cards.preview-title')}</h2>
            <p class="muted">{t('console.cards.home-phone-note')}</p>
            {notes.map((note) => (
              <p key={note} class="cards-note">
                {note}
              </p>
            ))}
            <div class="form-actions">
              <Button kind="primary" busy={making} disabled={printable.length === 0} onClick={makeAndPrint}>
                {making ? t('console.cards.making') : t('console.cards.print')}
              </Button>
              {isPrinted && <Button onClick={() => window.print()}>{t('console.cards.print-again')}</Button>}
            </div>
            {isPrinted && <Banner kind="ok">{t('console.cards.made', { count: links.size })}</Banner>}
          </div>
          <div class="card-sheet">
            {printable.map(({ card, contact }) => (
              <ContactCard
                key={contact.id}
                t={t}
                locale={locale}
                homeName={answer.home.name}
                homeZone={answer.home.timeZone}
                card={card}
                contact={contact}
                link={links.get(contact.id) ?? null}
              />
            ))}
          </div>
          {printable.length > 0 && (
            <section class="card no-print older-links-all" aria-labelledby="cards-older">
              <h2 id="cards-older">{t('console.cards.older-title')}</h2>
              <p class="muted">{t('console.cards.older-intro')}</p>
              {printable.map(({ contact }) => (
                <OlderLinks
                  key={contact.id}
                  api={api}
                  t={t}
                  locale={locale}
                  homeZone={answer.home.timeZone}
                  contact={contact}
                  freshIds={freshIds}
                  version={version}
                />
              ))}
            </section>
          )}
        </section>
      )}
    </div>
  );
}
