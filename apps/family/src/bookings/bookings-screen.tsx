import type { ApiResponse } from '@affection/server/contract';
import { ApiError, isMessageKey, type Locale, type Translate } from '@affection/ui';
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, type FamilyMe } from '../family-api.ts';
import { joinNames } from '../join-names.ts';
import { problemMessage } from '../problems.ts';
import { deviceStore } from '../storage.ts';
import { callTimeText, dateIn, dayLabel } from './booking-text.ts';
import { WindowsEditor } from './windows-editor.tsx';
import './bookings.css';

type FamilyBooking = ApiResponse<'GET /api/family/bookings'>['items'][number];
type Slot = ApiResponse<'GET /api/family/available-slots'>['slots'][number];
type FamilyContact = ApiResponse<'GET /api/family/contacts'>['items'][number];

/** Bookings the page lists: those that still hold their slot. */
const LISTED = new Set(['proposed', 'confirmed', 'in-progress']);

/** Reasons for cancelling a parent can pick with one tap (their own words can follow). */
const CANCEL_REASONS = ['work', 'ill', 'travel'] as const;

/** What the booking screens need from the page. */
export interface BookingsScreenProps {
  me: FamilyMe;
  /** Server time minus this phone's time. */
  offsetMs: number;
  t: Translate;
  locale: Locale;
  /** The screen to open on: the calls, or "什么时候方便接电话". */
  start: 'calls' | 'windows';
  /** Back to the page with the next call (read again: a call may have been booked, moved or answered). */
  onBack: () => void;
  /** The phone's sign-in ran out: the page signs in again. */
  onSignedOut: () => void;
}

type Step =
  | { name: 'list' }
  | { name: 'slots'; moving: FamilyBooking | null }
  | { name: 'confirm-slot'; slot: Slot; moving: FamilyBooking | null }
  | { name: 'cancel'; booking: FamilyBooking }
  | { name: 'decline'; booking: FamilyBooking }
  | { name: 'add-second'; booking: FamilyBooking; contact: FamilyContact }
  | { name: 'windows' };

/** The parent's words for a refused booking, move or answer; the general message otherwise. */
export function refusalMessage(problem: unknown, t: Translate): string {
  if (problem instanceof ApiError && problem.reason) {
    const key = `family.book.refused.${problem.reason}`;
    if (isMessageKey(key)) return t(key);
  }
  return problemMessage(problem, t);
}

function isSignedOut(problem: unknown): boolean {
  return problem instanceof ApiError && problem.status === 401;
}

/**
 * One decision about one call (cancel it, decline it, add the other parent): its time, what to decide, the error
 * if any, one big button and the way back.
 */
function DecisionScreen({
  screen,
  title,
  when,
  error,
  submit,
  back,
  children,
}: {
  screen: string;
  title: string;
  when: { main: string; homeTime: string | null };
  error: ComponentChildren;
  submit: { label: string; isDanger?: boolean; disabled: boolean; onClick: () => void };
  back: { label: string; onClick: () => void };
  children: ComponentChildren;
}) {
  return (
    <main class="screen bookings" data-screen={screen}>
      <h1>{title}</h1>
      <p class="when">{when.main}</p>
      {when.homeTime ? <p class="home-time">{when.homeTime}</p> : null}
      {children}
      {error}
      <button
        type="button"
        class={submit.isDanger ? 'big danger' : 'big'}
        disabled={submit.disabled}
        onClick={submit.onClick}
      >
        {submit.label}
      </button>
      <div class="actions">
        <button type="button" class="plain" onClick={back.onClick}>
          {back.label}
        </button>
      </div>
    </main>
  );
}

/**
 * 我的通话: the household's coming calls in the parent's own time (the Home's time beside it when the zones differ),
 * proposals to confirm or decline, booking from the free slots, moving and cancelling a call, and the weekly times the
 * parent can usually talk. One decision per screen. Loaded with `import()` when the parent opens it.
 */
export function BookingsScreen({ me, offsetMs, t, locale, start, onBack, onSignedOut }: BookingsScreenProps) {
  const [step, setStep] = useState<Step>(start === 'windows' ? { name: 'windows' } : { name: 'list' });
  const [bookings, setBookings] = useState<FamilyBooking[] | null>(null);
  const [slots, setSlots] = useState<Slot[] | null>(null);
  const [contacts, setContacts] = useState<FamilyContact[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isSignedOutNow, setSignedOutNow] = useState(false);
  const [isBusy, setBusy] = useState(false);
  const [slotDay, setSlotDay] = useState<string | null>(null);
  const [audioOnly, setAudioOnly] = useState(false);
  const [secondContactId, setSecondContactId] = useState<string | null>(null);
  const [reasonChoice, setReasonChoice] = useState<string | null>(null);
  const [reasonText, setReasonText] = useState('');

  const now = new Date(Date.now() + offsetMs);
  const today = dateIn(me.contact.timeZone, now);
  const children = me.childNames.length > 0 ? joinNames(me.childNames, locale) : t('family.your-child');

  const fail = useCallback(
    (problem: unknown) => {
      setSignedOutNow(isSignedOut(problem));
      setError(isSignedOut(problem) ? t('family.book.signed-out') : refusalMessage(problem, t));
    },
    [t],
  );

  const loadBookings = useCallback(async () => {
    try {
      const { items } = await api.call('GET /api/family/bookings');
      setBookings(items.filter((b) => LISTED.has(b.status)));
    } catch (problem) {
      fail(problem);
    }
  }, [fail]);

  const loadSlots = useCallback(
    async (moving: FamilyBooking | null) => {
      setSlots(null);
      try {
        const found = await api.call('GET /api/family/available-slots', {
          query: moving ? { exceptBookingId: moving.id } : {},
        });
        setSlots(found.slots.filter((s) => !moving || s.start !== moving.start));
      } catch (problem) {
        setSlots([]);
        fail(problem);
      }
    },
    [fail],
  );

  useEffect(() => {
    void loadBookings();
    api
      .call('GET /api/family/contacts')
      .then(({ items }) => setContacts(items))
      .catch(() => setContacts([]));
  }, [loadBookings]);

  useEffect(() => {
    window.scrollTo(0, 0);
  }, [step]);

  function go(next: Step, message: string | null = null): void {
    setError(null);
    setNotice(message);
    setStep(next);
  }

  function openSlots(moving: FamilyBooking | null): void {
    setSlotDay(null);
    setAudioOnly(moving ? deviceStore.isAudioOnly(moving.id) : false);
    go({ name: 'slots', moving });
    void loadSlots(moving);
  }

  function changed(message: string): void {
    go({ name: 'list' }, message);
    void loadBookings();
  }

  async function run(work: () => Promise<void>, onRefused?: (problem: unknown) => void): Promise<void> {
    if (isBusy) return;
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (problem) {
      if (onRefused && !isSignedOut(problem) && problem instanceof ApiError && problem.status !== 0) {
        onRefused(problem);
      } else {
        fail(problem);
      }
    } finally {
      setBusy(false);
    }
  }

  function timeOf(b: {
    inContactZone: FamilyBooking['inContactZone'];
    inHomeZone: FamilyBooking['inHomeZone'];
    start: string;
  }) {
    return callTimeText(b.inContactZone, b.inHomeZone, new Date(b.start), today, locale, t);
  }

  const errorLine = error ? (
    <div class="error-box" role="alert">
      <p class="error">{error}</p>
      {isSignedOutNow ? (
        <button type="button" class="big" onClick={onSignedOut}>
          {t('family.book.sign-in-again')}
        </button>
      ) : null}
    </div>
  ) : null;
  const noticeLine = notice ? (
    <p class="notice" role="status">
      {notice}
    </p>
  ) : null;

  switch (step.name) {
    case 'list': {
      const proposals = (bookings ?? []).filter((b) => b.status === 'proposed');
      const calls = (bookings ?? []).filter((b) => b.status !== 'proposed');
      return (
        <main class="screen bookings" data-screen="bookings">
          <h1>{t('family.book.title')}</h1>
          {noticeLine}
          {errorLine}
          {bookings === null && !error ? <p>{t('family.loading')}</p> : null}
          {proposals.map((b) => {
            const when = timeOf(b);
            return (
              <section class="card proposal" key={b.id} data-testid="proposal" aria-label={t('family.book.proposal')}>
                <p class="tag">{t('family.book.proposal')}</p>
                <p class="when">{when.main}</p>
                {when.homeTime ? <p class="home-time">{when.homeTime}</p> : null}
                <p>{t('family.book.proposal-ask', { children })}</p>
                <button
                  type="button"
                  class="big"
                  disabled={isBusy}
                  onClick={() =>
                    void run(
                      async () => {
                        await api.call('POST /api/family/bookings/{id}/answer', {
                          params: { id: b.id },
                          body: { answer: 'confirm', version: b.version },
                        });
                        changed(t('family.book.confirmed', { when: when.main }));
                      },
                      (problem) => {
                        setError(refusalMessage(problem, t));
                        void loadBookings();
                      },
                    )
                  }
                >
                  {t('family.book.confirm-proposal')}
                </button>
                <button type="button" class="plain" onClick={() => go({ name: 'decline', booking: b })}>
                  {t('family.book.decline-proposal')}
                </button>
              </section>
            );
          })}
          {bookings !== null && calls.length === 0 && proposals.length === 0 ? (
            <p class="empty">{t('family.book.none')}</p>
          ) : null}
          {calls.map((b) => {
            const when = timeOf(b);
            const hasStarted = Date.parse(b.start) <= now.getTime();
            return (
              <section class="card" key={b.id} data-testid="booking">
                <p class="when">{when.main}</p>
                {when.homeTime ? <p class="home-time">{when.homeTime}</p> : null}
                <p class="with">
                  {b.secondContactId
                    ? t('family.book.three-way', {
                        name: contacts.find((c) => c.id === b.secondContactId)?.name ?? t('family.book.other-parent'),
                      })
                    : t('family.book.with', { children })}
                </p>
                {hasStarted || b.secondContactId
                  ? null
                  : contacts.map((c) => (
                      <button
                        type="button"
                        class="big secondary"
                        key={c.id}
                        data-testid="add-second"
                        onClick={() => go({ name: 'add-second', booking: b, contact: c })}
                      >
                        {t('family.book.add-second.button', { name: c.name })}
                      </button>
                    ))}
                {hasStarted ? null : (
                  <div class="actions">
                    <button type="button" class="plain" onClick={() => openSlots(b)}>
                      {t('family.book.move')}
                    </button>
                    <button
                      type="button"
                      class="plain"
                      onClick={() => {
                        setReasonChoice(null);
                        setReasonText('');
                        go({ name: 'cancel', booking: b });
                      }}
                    >
                      {t('family.book.cancel')}
                    </button>
                  </div>
                )}
              </section>
            );
          })}
          <button type="button" class="big" onClick={() => openSlots(null)}>
            {t('family.book.new')}
          </button>
          <button type="button" class="big secondary" onClick={() => go({ name: 'windows' })}>
            {t('family.windows.title')}
          </button>
          <div class="actions">
            <button type="button" class="plain" onClick={() => onBack()}>
              {t('family.call.back')}
            </button>
          </div>
        </main>
      );
    }
    case 'slots': {
      const byDay = new Map<string, Slot[]>();
      for (const slot of slots ?? []) {
        const day = slot.inContactZone.date;
        byDay.set(day, [...(byDay.get(day) ?? []), slot]);
      }
      return (
        <main class="screen bookings" data-screen="slots">
          <h1>
            {slotDay !== null && byDay.has(slotDay)
              ? t('family.book.pick-time')
              : step.moving
                ? t('family.book.move-title')
                : t('family.book.pick-title')}
          </h1>
          {step.moving ? <p>{t('family.book.moving-from', { when: timeOf(step.moving).main })}</p> : null}
          {noticeLine}
          {errorLine}
          {slots === null ? <p>{t('family.loading')}</p> : null}
          {slots !== null && slots.length === 0 ? (
            <div class="card">
              <p>{t('family.book.no-slots')}</p>
              <button type="button" class="big secondary" onClick={() => go({ name: 'windows' })}>
                {t('family.windows.title')}
              </button>
            </div>
          ) : null}
          {slotDay === null || !byDay.has(slotDay) ? (
            [...byDay.entries()].map(([day, daySlots]) => (
              <button type="button" class="day-choice" key={day} data-day={day} onClick={() => setSlotDay(day)}>
                <span>{dayLabel(day, today, t)}</span>
                <span class="count">{t('family.book.day-count', { count: daySlots.length })}</span>
              </button>
            ))
          ) : (
            <section class="day">
              <h2>{dayLabel(slotDay, today, t)}</h2>
              <div class="slot-grid">
                {(byDay.get(slotDay) ?? []).map((slot) => (
                  <button
                    type="button"
                    class="slot"
                    key={slot.start}
                    data-start={slot.start}
                    onClick={() => go({ name: 'confirm-slot', slot, moving: step.moving })}
                  >
                    {slot.inContactZone.startTime}
                  </button>
                ))}
              </div>
              <button type="button" class="plain" onClick={() => setSlotDay(null)}>
                {t('family.book.other-day')}
              </button>
            </section>
          )}
          <p class="hint">{t('family.book.slots-hint')}</p>
          <div class="actions">
            <button type="button" class="plain" onClick={() => go({ name: 'list' })}>
              {t('family.call.back')}
            </button>
          </div>
        </main>
      );
    }
    case 'confirm-slot': {
      const { slot, moving } = step;
      const when = timeOf(slot);
      const submit = () =>
        void run(
          async () => {
            if (moving) {
              await api.call('POST /api/family/bookings/{id}/move', {
                params: { id: moving.id },
                body: { start: slot.start, version: moving.version },
              });
              deviceStore.setAudioOnly(moving.id, audioOnly);
              changed(t('family.book.moved', { when: when.main }));
            } else {
              const booked = await api.call('POST /api/family/bookings', {
                body: { start: slot.start, ...(secondContactId ? { secondContactId } : {}) },
              });
              deviceStore.setAudioOnly(booked.id, audioOnly);
              changed(t('family.book.booked', { when: when.main }));
            }
          },
          (problem) => {
            // Taken meanwhile (or the call changed): back to a fresh list of slots, with the reason on top.
            go({
              name: 'slots',
              moving: problem instanceof ApiError && problem.reason === 'not-active' ? null : moving,
            });
            setError(refusalMessage(problem, t));
            void loadSlots(problem instanceof ApiError && problem.reason === 'not-active' ? null : moving);
            if (problem instanceof ApiError && problem.reason === 'not-active') void loadBookings();
          },
        );
      return (
        <main class="screen bookings" data-screen="confirm-slot">
          <h1>{moving ? t('family.book.move-confirm-title') : t('family.book.confirm-title')}</h1>
          <p class="when big-when">{when.main}</p>
          {when.homeTime ? <p class="home-time">{when.homeTime}</p> : null}
          <p>{t('family.book.with', { children })}</p>
          {errorLine}
          {!moving && contacts.length > 0 ? (
            <fieldset class="choices">
              <legend>{t('family.book.second-title')}</legend>
              <label class="choice">
                <input
                  type="radio"
                  name="second"
                  checked={secondContactId === null}
                  onChange={() => setSecondContactId(null)}
                />
                <span>{t('family.book.second-none')}</span>
              </label>
              {contacts.map((c) => (
                <label class="choice" key={c.id}>
                  <input
                    type="radio"
                    name="second"
                    checked={secondContactId === c.id}
                    onChange={() => setSecondContactId(c.id)}
                  />
                  <span>{t('family.book.second-with', { name: c.name })}</span>
                </label>
              ))}
            </fieldset>
          ) : null}
          <fieldset class="choices">
            <legend>{t('family.book.how-title')}</legend>
            <label class="choice">
              <input type="radio" name="how" checked={!audioOnly} onChange={() => setAudioOnly(false)} />
              <span>{t('family.book.how-video')}</span>
            </label>
            <label class="choice">
              <input type="radio" name="how" checked={audioOnly} onChange={() => setAudioOnly(true)} />
              <span>{t('family.book.how-audio')}</span>
            </label>
          </fieldset>
          <button type="button" class="big" disabled={isBusy} onClick={submit}>
            {moving ? t('family.book.move-submit') : t('family.book.submit')}
          </button>
          <div class="actions">
            <button type="button" class="plain" onClick={() => go({ name: 'slots', moving })}>
              {t('family.book.other-time')}
            </button>
          </div>
        </main>
      );
    }
    case 'cancel': {
      const { booking } = step;
      const when = timeOf(booking);
      const reason =
        reasonChoice === null
          ? reasonText.trim()
          : [t(`family.book.reason.${reasonChoice}` as 'family.book.reason.work'), reasonText.trim()]
              .filter(Boolean)
              .join('：');
      return (
        <DecisionScreen
          screen="cancel"
          title={t('family.book.cancel-title')}
          when={when}
          error={errorLine}
          submit={{
            label: t('family.book.cancel-submit'),
            isDanger: true,
            disabled: isBusy || reason === '',
            onClick: () =>
              void run(async () => {
                await api.call('POST /api/family/bookings/{id}/cancel', {
                  params: { id: booking.id },
                  body: { reason, version: booking.version },
                });
                changed(t('family.book.cancelled', { when: when.main }));
              }),
          }}
          back={{ label: t('family.book.keep'), onClick: () => go({ name: 'list' }) }}
        >
          <fieldset class="choices">
            <legend>{t('family.book.reason-title')}</legend>
            {[...CANCEL_REASONS, 'other' as const].map((choice) => (
              <label class="choice" key={choice}>
                <input
                  type="radio"
                  name="reason"
                  checked={reasonChoice === choice}
                  onChange={() => setReasonChoice(choice)}
                />
                <span>{t(`family.book.reason.${choice}` as 'family.book.reason.work')}</span>
              </label>
            ))}
          </fieldset>
          <label for="reason-text">{t('family.book.reason-more')}</label>
          <textarea
            id="reason-text"
            class="big-input"
            rows={2}
            maxLength={200}
            value={reasonText}
            onInput={(e) => setReasonText((e.currentTarget as HTMLTextAreaElement).value)}
          />
        </DecisionScreen>
      );
    }
    case 'decline': {
      const { booking } = step;
      return (
        <DecisionScreen
          screen="decline"
          title={t('family.book.decline-title')}
          when={timeOf(booking)}
          error={errorLine}
          submit={{
            label: t('family.book.decline-submit'),
            isDanger: true,
            disabled: isBusy,
            onClick: () =>
              void run(async () => {
                await api.call('POST /api/family/bookings/{id}/answer', {
                  params: { id: booking.id },
                  body: { answer: 'decline', version: booking.version },
                });
                changed(t('family.book.declined'));
              }),
          }}
          back={{ label: t('family.call.back'), onClick: () => go({ name: 'list' }) }}
        >
          <p>{t('family.book.decline-hint')}</p>
        </DecisionScreen>
      );
    }
    case 'add-second': {
      const { booking, contact } = step;
      const when = timeOf(booking);
      return (
        <DecisionScreen
          screen="add-second"
          title={t('family.book.add-second.title', { name: contact.name })}
          when={when}
          error={errorLine}
          submit={{
            label: t('family.book.add-second.submit', { name: contact.name }),
            disabled: isBusy,
            onClick: () =>
              void run(async () => {
                await api.call('POST /api/family/bookings/{id}/second-contact', {
                  params: { id: booking.id },
                  body: { contactId: contact.id, version: booking.version },
                });
                changed(t('family.book.add-second.done', { name: contact.name, when: when.main }));
              }),
          }}
          back={{ label: t('family.book.add-second.back'), onClick: () => go({ name: 'list' }) }}
        >
          <p>{t('family.book.add-second.body', { name: contact.name, children })}</p>
        </DecisionScreen>
      );
    }
    case 'windows':
      return (
        <WindowsEditor
          t={t}
          locale={locale}
          zoneLabel={me.contact.timeZone}
          now={now}
          onSaved={() => go({ name: 'list' }, t('family.windows.saved'))}
          onBack={() => (start === 'windows' ? onBack() : go({ name: 'list' }))}
          onSignedOut={onSignedOut}
        />
      );
  }
}
