import type { Locale, Translate } from '@affection/ui';
import type { CardContact, FreshLink, HouseholdCard } from './card-types.ts';
import { callTimeLines, freeTimesText, relationWord } from './card-words.ts';
import { LinkToSend } from './link-to-send.tsx';
import { QrCode } from './qr-code.tsx';

/** Options of {@link ContactCard}. */
export interface ContactCardProps {
  t: Translate;
  locale: Locale;
  homeName: string;
  homeZone: string;
  card: HouseholdCard;
  contact: CardContact;
  /** The QR code's link, once made for this print run; before that the card shows where it will go. */
  link: FreshLink | null;
}

/**
 * One printed contact card (联系卡) for one parent: the Home, the children and their classes, the
 * parent, the call times, a line for the Home's phone number (not on record: written by hand), and
 * the QR code of the parent's enrolment link.
 */
export function ContactCard({ t, locale, homeName, homeZone, card, contact, link }: ContactCardProps) {
  const times = callTimeLines(t, locale, card, contact, homeZone);
  const free = freeTimesText(t, contact);
  return (
    <article
      class="contact-card"
      data-contact={contact.id}
      aria-label={`${t('console.cards.card-title')} · ${contact.name}`}
    >
      <header class="contact-card-head">
        <div class="contact-card-title">{t('console.cards.card-title')}</div>
        <div class="contact-card-home">{homeName}</div>
      </header>
      <dl class="contact-card-facts">
        <dt>{t('console.cards.children')}</dt>
        <dd>
          {card.children.map((child) => (
            <span key={child.id} class="contact-card-child">
              {child.name}
              {child.className ? `（${child.className}）` : ''}
            </span>
          ))}
        </dd>
        <dt>{t('console.cards.parent')}</dt>
        <dd>
          {contact.name}（{relationWord(t, contact.relation)}）
        </dd>
        <dt>{t('console.cards.call-times')}</dt>
        <dd>
          {times.length > 0 ? (
            times.map((line) => <div key={line}>{line}</div>)
          ) : (
            <div>{t('console.cards.no-times')}</div>
          )}
          {free && <div class="contact-card-free">{t('console.cards.free-times', { times: free })}</div>}
          {contact.channel === 'phone' && <div class="contact-card-free">{t('console.cards.phone-channel')}</div>}
        </dd>
        <dt>{t('console.cards.home-phone')}</dt>
        <dd class="contact-card-write-in">
          <span class="visually-hidden">{t('console.cards.home-phone-note')}</span>
        </dd>
      </dl>
      <div class="contact-card-qr">
        {link ? (
          <QrCode value={link.url} label={t('console.cards.qr-label', { name: contact.name })} />
        ) : (
          <div class="qr-placeholder">{t('console.cards.qr-later')}</div>
        )}
        <p class="contact-card-scan">{t('console.cards.scan')}</p>
      </div>
      {link && <LinkToSend t={t} url={link.url} />}
    </article>
  );
}
