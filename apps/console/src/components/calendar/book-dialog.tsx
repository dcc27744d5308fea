import type { ApiError, Locale, Translate } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleApi } from '../../shell/console-api.ts';
import { useDraft } from '../../shell/drafts.ts';
import { fieldProblem, problemText } from '../common/api-problem.ts';
import { Button } from '../common/button.tsx';
import { Dialog } from '../common/dialog.tsx';
import { Field } from '../common/field.tsx';
import { formatInZone } from '../common/zoned-time.tsx';
import type { BookableHousehold, FreeSlot } from './calendar-types.ts';
import { slotLabel } from './slot-label.ts';

/** How far ahead free slots are offered. */
const LOOK_AHEAD_DAYS = 21;

type Mode = 'once' | 'series' | 'now';
type Key = Parameters<Translate>[0];

/** What the teacher has typed and picked; kept as a draft so nothing is lost. */
interface BookDraft {
  search: string;
  household: BookableHousehold | null;
  contactId: string;
  secondContactId: string;
  childIds: string[];
  mode: Mode;
  start: string;
  weeks: string;
  windowsOnly: boolean;
}

/** A cell the dialog was opened from. */
export interface BookTarget {
  start: string;
  kioskId: string;
  kioskName: string;
}

/** Options of {@link BookDialog}. */
export interface BookDialogProps {
  api: ConsoleApi;
  /** The cell clicked, if any: its start is offered first and its kiosk used. */
  target: BookTarget | null;
  /** Open in "call now" mode. */
  callNow?: boolean;
  zone: string;
  t: Translate;
  locale: Locale;
  onBooked: (message: string) => void;
  onClose: () => void;
}

function emptyDraft(target: BookTarget | null, callNow: boolean): BookDraft {
  return {
    search: '',
    household: null,
    contactId: '',
    secondContactId: '',
    childIds: [],
    mode: callNow ? 'now' : 'once',
    start: target?.start ?? '',
    weeks: '8',
    windowsOnly: false,
  };
}

/**
 * 预约通话: find the household by a child's or a parent's name, pick the contact (and a second one for a three-way
 * call), the children, then a free slot, a standing weekly time or "call now". Everything typed stays in a draft
 * until the booking is made; a refusal is shown in the teacher's words under the form.
 */
export function BookDialog({ api, target, callNow = false, zone, t, locale, onBooked, onClose }: BookDialogProps) {
  const key = `calendar.book.${target?.start ?? (callNow ? 'now' : 'any')}.${target?.kioskId ?? ''}`;
  const [draft, setDraft, clearDraft] = useDraft<BookDraft>(key, emptyDraft(target, callNow));
  const [found, setFound] = useState<BookableHousehold[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [slots, setSlots] = useState<FreeSlot[] | null>(null);
  /** Starts inside the contact's availability windows (the times the parent said suit them). */
  const [suiting, setSuiting] = useState<ReadonlySet<string>>(new Set());
  /** Bumped after a conflict, to read the free slots again (what was chosen stays chosen). */
  const [slotReads, setSlotReads] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const update = (patch: Partial<BookDraft>) => setDraft({ ...draft, ...patch });
  const household = draft.household;
  const contact = household?.contacts.find((c) => c.id === draft.contactId);

  useEffect(() => {
    if (!household || !draft.contactId || draft.mode === 'now') {
      setSlots(null);
      return;
    }
    const from = new Date();
    const to = new Date(from.getTime() + LOOK_AHEAD_DAYS * 86_400_000);
    const query = {
      householdId: household.id,
      contactId: draft.contactId,
      from: from.toISOString(),
      to: to.toISOString(),
    };
    // Both lists: every free slot (a time agreed by phone) and those inside the parent's windows, to mark the rest.
    Promise.all([
      api.call('GET /api/bookings/available-slots', { query: { ...query, anyTime: 'true' } }),
      api.call('GET /api/bookings/available-slots', { query: { ...query, anyTime: 'false' } }),
    ]).then(
      ([any, windows]) => {
        setSuiting(new Set(windows.slots.map((slot) => slot.start)));
        setSlots(draft.windowsOnly ? windows.slots : any.slots);
      },
      (problem: ApiError) => {
        setSlots([]);
        setError(problem);
      },
    );
  }, [api, household?.id, draft.contactId, draft.windowsOnly, draft.mode, slotReads]);

  const search = async () => {
    if (!draft.search.trim()) return;
    setSearching(true);
    try {
      const answer = await api.call('GET /api/bookings/household-search', { query: { search: draft.search.trim() } });
      setFound(answer.items);
      setError(null);
    } catch (problem) {
      setError(problem as ApiError);
    } finally {
      setSearching(false);
    }
  };

  const pickHousehold = (picked: BookableHousehold) => {
    const first = picked.contacts.find((c) => c.approved);
    update({
      household: picked,
      contactId: first?.id ?? '',
      secondContactId: '',
      childIds: picked.children.map((c) => c.id),
    });
    setError(null);
  };

  const targetOffered = target !== null && (slots ?? []).some((slot) => slot.start === target.start);
  const submit = async () => {
    if (!household || !draft.contactId) return;
    setBusy(true);
    setError(null);
    const party = {
      householdId: household.id,
      contactId: draft.contactId,
      ...(draft.secondContactId ? { secondContactId: draft.secondContactId } : {}),
      ...(draft.childIds.length > 0 && draft.childIds.length < household.children.length
        ? { childIds: draft.childIds }
        : {}),
    };
    const who = household.children
      .filter((c) => draft.childIds.includes(c.id))
      .map((c) => `${c.familyName}${c.givenName}`)
      .join('、');
    // The clicked cell's kiosk goes along only for the cell's own time.
    const kiosk = target && draft.start === target.start ? { kioskId: target.kioskId } : {};
    try {
      if (draft.mode === 'now') {
        await api.call('POST /api/bookings/adhoc', { body: party });
        onBooked(t('console.calendar.called-now', { who }));
      } else if (draft.mode === 'series') {
        const answer = await api.call('POST /api/bookings/series', {
          body: { ...party, ...kiosk, start: draft.start, weeks: Number(draft.weeks) },
        });
        onBooked(
          t('console.calendar.series-booked', { who, weeks: answer.bookings.length, skipped: answer.skipped.length }),
        );
      } else {
        await api.call('POST /api/bookings', { body: { ...party, ...kiosk, start: draft.start } });
        onBooked(t('console.calendar.booked', { who, when: formatInZone(draft.start, zone, locale, 'date-time') }));
      }
      clearDraft();
    } catch (problem) {
      setError(problem as ApiError);
      // Someone took the slot (or the quota) meanwhile: offer what is free now.
      if ((problem as ApiError).status === 409) setSlotReads((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  const title = draft.mode === 'now' ? t('console.calendar.call-now') : t('console.calendar.book');
  const ready =
    household !== null &&
    contact?.approved === true &&
    draft.childIds.length > 0 &&
    (draft.mode === 'now' || draft.start !== '');
  return (
    <Dialog title={title} onClose={onClose} closeLabel={t('console.common.close')}>
      {target && draft.mode !== 'now' && (
        <p class="cal-muted">
          {t('console.calendar.book-for', {
            when: formatInZone(target.start, zone, locale, 'date-time'),
            kiosk: target.kioskName,
          })}
        </p>
      )}
      <form
        class="cal-search"
        onSubmit={(event) => {
          event.preventDefault();
          void search();
        }}
      >
        <Field
          label={t('console.calendar.search-label')}
          hint={t('console.calendar.search-hint')}
          type="search"
          value={draft.search}
          maxLength={40}
          onValue={(search) => update({ search })}
          error={fieldProblem(error, 'search', locale)}
        />
        <Button submit busy={searching}>
          {t('console.calendar.search')}
        </Button>
      </form>
      {found !== null &&
        !household &&
        (found.length === 0 ? (
          <p class="cal-muted">{t('console.calendar.nobody-found')}</p>
        ) : (
          <ul class="plain-list cal-found">
            {found.map((h) => (
              <li key={h.id}>
                <button type="button" class="cal-pick" onClick={() => pickHousehold(h)}>
                  <strong>{h.children.map((c) => `${c.familyName}${c.givenName}`).join('、') || h.name}</strong>
                  <span class="cal-muted">
                    {' '}
                    {h.name} ·{' '}
                    {h.contacts
                      .map((c) => `${c.name}（${t(`console.calendar.relation.${c.relation}` as Key)}）`)
                      .join('、')}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        ))}
      {household && (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <div class="cal-picked">
            <strong>{household.name}</strong>
            <Button kind="quiet" onClick={() => update({ household: null, contactId: '', childIds: [] })}>
              {t('console.calendar.other-household')}
            </Button>
          </div>
          <fieldset class="cal-fieldset">
            <legend>{t('console.calendar.contact')}</legend>
            {household.contacts.map((c) => (
              <label key={c.id} class="cal-choice">
                <input
                  type="radio"
                  name="contact"
                  value={c.id}
                  disabled={!c.approved}
                  checked={draft.contactId === c.id}
                  onChange={() =>
                    update({
                      contactId: c.id,
                      secondContactId: draft.secondContactId === c.id ? '' : draft.secondContactId,
                    })
                  }
                />
                <span>
                  {c.name}（{t(`console.calendar.relation.${c.relation}` as Key)}）·{' '}
                  {t(`console.calendar.channel.${c.channel}` as Key)} ·{' '}
                  <span class="masked-phone">{c.phoneMasked}</span>
                  {!c.approved && <span class="cal-warn"> {t('console.calendar.not-approved')}</span>}
                </span>
              </label>
            ))}
            {fieldProblem(error, 'contactId', locale) && (
              <p class="field-error">{fieldProblem(error, 'contactId', locale)}</p>
            )}
          </fieldset>
          {household.contacts.filter((c) => c.approved).length > 1 && (
            <div class="field">
              <label class="field-label" for="cal-second">
                {t('console.calendar.second-contact')}
              </label>
              <select
                id="cal-second"
                class="field-input"
                value={draft.secondContactId}
                onChange={(event) => update({ secondContactId: event.currentTarget.value })}
              >
                <option value="">{t('console.calendar.no-second')}</option>
                {household.contacts
                  .filter((c) => c.approved && c.id !== draft.contactId)
                  .map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}（{t(`console.calendar.relation.${c.relation}` as Key)}）
                    </option>
                  ))}
              </select>
            </div>
          )}
          <fieldset class="cal-fieldset">
            <legend>{t('console.calendar.children')}</legend>
            {household.children.map((c) => (
              <label key={c.id} class="cal-choice">
                <input
                  type="checkbox"
                  checked={draft.childIds.includes(c.id)}
                  onChange={(event) =>
                    update({
                      childIds: event.currentTarget.checked
                        ? [...draft.childIds, c.id]
                        : draft.childIds.filter((id) => id !== c.id),
                    })
                  }
                />
                <span>
                  {c.familyName}
                  {c.givenName}
                  {c.className && <span class="cal-muted"> · {c.className}</span>}
                </span>
              </label>
            ))}
          </fieldset>
          <fieldset class="cal-fieldset">
            <legend>{t('console.calendar.kind')}</legend>
            {(['once', 'series', 'now'] as const).map((mode) => (
              <label key={mode} class="cal-choice">
                <input type="radio" name="mode" checked={draft.mode === mode} onChange={() => update({ mode })} />
                <span>{t(`console.calendar.mode.${mode}` as Key)}</span>
              </label>
            ))}
          </fieldset>
          {draft.mode !== 'now' && (
            <>
              <label class="cal-choice">
                <input
                  type="checkbox"
                  checked={draft.windowsOnly}
                  onChange={(event) => update({ windowsOnly: event.currentTarget.checked })}
                />
                <span>{t('console.calendar.windows-only')}</span>
              </label>
              <div class="field">
                <label class="field-label" for="cal-slot">
                  {draft.mode === 'series' ? t('console.calendar.first-slot') : t('console.calendar.slot')}
                </label>
                {slots === null ? (
                  <p class="cal-muted">{t('console.common.working')}</p>
                ) : (
                  <select
                    id="cal-slot"
                    class={`field-input${fieldProblem(error, 'start', locale) ? ' field-input-error' : ''}`}
                    value={draft.start}
                    onChange={(event) => update({ start: event.currentTarget.value })}
                  >
                    <option value="">
                      {slots.length === 0 && !target
                        ? t('console.calendar.no-free-slots')
                        : t('console.calendar.pick-slot')}
                    </option>
                    {target && !targetOffered && (
                      <option value={target.start}>
                        {formatInZone(target.start, zone, locale, 'date-time')} {t('console.calendar.clicked-cell')}
                      </option>
                    )}
                    {slots.map((slot) => (
                      <option key={slot.start} value={slot.start}>
                        {slotLabel(slot, t, locale)}
                        {suiting.has(slot.start) ? '' : ` ${t('console.calendar.outside-windows-mark')}`}
                      </option>
                    ))}
                  </select>
                )}
                {draft.start && slots !== null && !suiting.has(draft.start) && (
                  <p class="cal-note" role="status">
                    {t('console.calendar.outside-windows')}
                  </p>
                )}
                {fieldProblem(error, 'start', locale) && (
                  <p class="field-error">{fieldProblem(error, 'start', locale)}</p>
                )}
              </div>
              {draft.mode === 'series' && (
                <Field
                  label={t('console.calendar.weeks')}
                  hint={t('console.calendar.weeks-hint')}
                  type="number"
                  min={1}
                  max={26}
                  value={draft.weeks}
                  onValue={(weeks) => update({ weeks })}
                  error={fieldProblem(error, 'weeks', locale)}
                />
              )}
            </>
          )}
          {draft.mode === 'now' && <p class="cal-muted">{t('console.calendar.call-now-hint')}</p>}
          {error && error.fields.length === 0 && (
            <p class="form-error" role="alert">
              {problemText(error, t)}
            </p>
          )}
          <div class="form-actions">
            <Button kind="primary" submit busy={busy} disabled={!ready}>
              {draft.mode === 'now' ? t('console.calendar.call-now') : t('console.calendar.book-confirm')}
            </Button>
            <Button kind="quiet" onClick={onClose}>
              {t('console.common.cancel')}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
