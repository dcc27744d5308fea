import type { ApiError } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import { ChildPhotoEditor } from '../components/child-photo/child-photo-editor.tsx';
import { sinceLastCall } from '../components/children/call-words.ts';
import '../components/children/children.css';
import { problemText } from '../components/common/api-problem.ts';
import { Banner } from '../components/common/banner.tsx';
import { EmptyState } from '../components/common/empty-state.tsx';
import { formatInZone } from '../components/common/zoned-time.tsx';
import { GrowthDiary } from '../components/diary/growth-diary.tsx';
import { BookingsCard } from '../components/record/bookings-card.tsx';
import { CallsCard } from '../components/record/calls-card.tsx';
import { ContactsCard } from '../components/record/contacts-card.tsx';
import { HouseholdCard } from '../components/record/household-card.tsx';
import { ProfileCard } from '../components/record/profile-card.tsx';
import '../components/record/record.css';
import { LIST_HASH_KEY } from '../components/children/list-hash.ts';
import { RecordAdmin } from '../components/record/record-admin.tsx';
import type { BookingItem, ChildCall, ChildRecord, HouseholdDetail } from '../components/record/record-types.ts';
import { connection } from '../shell/connection.ts';
import type { ScreenProps } from '../shell/screen-props.ts';

const DAY_MS = 86_400_000;

/** The children list as the teacher left it (its search and filters), else the plain list. */
function lastListHash(): string {
  try {
    return sessionStorage.getItem(LIST_HASH_KEY) ?? '#/children';
  } catch {
    return '#/children';
  }
}
/** How far back and ahead the bookings list reaches (the API answers at most 92 days at once). */
const PAST_DAYS = 60;
const AHEAD_DAYS = 31;
/** Calls shown on the record. */
const CALLS_SHOWN = 20;

/** 成长档案: one child's record — profile, household, contacts, windows, bookings, calls, pairing; export and erase. */
export default function ChildRecordScreen({ api, me, t, locale, navigate, route }: ScreenProps) {
  const childId = route.params.id ?? '';
  const [child, setChild] = useState<ChildRecord | null>(null);
  const [household, setHousehold] = useState<HouseholdDetail | null>(null);
  const [bookings, setBookings] = useState<BookingItem[] | null>(null);
  const [calls, setCalls] = useState<{ items: ChildCall[]; total: number } | null>(null);
  const [zone, setZone] = useState('Asia/Shanghai');
  const [error, setError] = useState<ApiError | null>(null);
  const [now] = useState(() => new Date());
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);

  useEffect(() => {
    api.call('GET /api/home').then(
      (home) => setZone(home.timeZone),
      () => undefined,
    );
  }, [api]);

  useEffect(() => {
    const controller = new AbortController();
    const signal = controller.signal;
    const load = async () => {
      try {
        const found = await api.call('GET /api/children/{id}', { params: { id: childId }, signal });
        setChild(found);
        setError(null);
        const [detail, booked, called] = await Promise.all([
          api.call('GET /api/households/{id}', { params: { id: found.householdId }, signal }),
          api.call('GET /api/bookings', {
            query: {
              householdId: found.householdId,
              from: new Date(now.getTime() - PAST_DAYS * DAY_MS).toISOString(),
              to: new Date(now.getTime() + AHEAD_DAYS * DAY_MS).toISOString(),
            },
            signal,
          }),
          api.call('GET /api/children/{id}/calls', { params: { id: childId }, query: { limit: CALLS_SHOWN }, signal }),
        ]);
        setHousehold(detail);
        setBookings(booked.items.filter((booking) => booking.childIds.includes(childId)));
        setCalls({ items: called.items, total: called.total });
      } catch (caught) {
        if (!signal.aborted) setError(caught as ApiError);
      }
    };
    load();
    const stopRetry = connection.onRetry(() => void load());
    return () => {
      controller.abort();
      stopRetry();
    };
  }, [api, childId, version, now]);

  if (error && error.status === 404) {
    return (
      <section class="screen">
        <EmptyState message={t('console.record.not-found')}>
          <a href="#/children">{t('console.record.back')}</a>
        </EmptyState>
      </section>
    );
  }
  if (!child) {
    return (
      <section class="screen">
        {error ? (
          <Banner kind="warn">{problemText(error, t)}</Banner>
        ) : (
          <p class="loading">{t('console.shell.loading')}</p>
        )}
      </section>
    );
  }
  const name = `${child.familyName}${child.givenName}`;
  return (
    <section class="screen record-screen">
      <p class="back-link no-print">
        <a href={lastListHash()}>← {t('console.record.back')}</a>
      </p>
      {route.query.get('added') === '1' && <Banner kind="ok">{t('console.record.added', { name })}</Banner>}
      {error && <Banner kind="warn">{problemText(error, t)}</Banner>}
      <header class="record-head card">
        <div>
          <h1>
            {name}
            {child.archivedAt && <span class="tag">{t('console.children.archived')}</span>}
          </h1>
          <p class="record-sub">
            {[
              child.className,
              child.householdName,
              child.birthYear ? t('console.record.born', { year: child.birthYear }) : null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </p>
        </div>
        <dl class="facts record-summary">
          <dt>{t('console.children.col-teacher')}</dt>
          <dd>
            {child.pairedTeachers.length > 0
              ? child.pairedTeachers.map((teacher) => teacher.displayName).join('、')
              : t('console.children.no-teacher-short')}
          </dd>
          <dt>{t('console.children.col-last-call')}</dt>
          <dd class={child.daysWithoutContact >= 14 ? 'wait-long' : undefined}>
            {child.lastCallAt ? `${formatInZone(child.lastCallAt, zone, locale, 'date')} · ` : ''}
            {sinceLastCall(child, t)}
          </dd>
          <dt>{t('console.children.col-next-call')}</dt>
          <dd>
            {child.nextCall
              ? formatInZone(child.nextCall.startAt, zone, locale, 'date-time')
              : t('console.children.none-booked')}
          </dd>
        </dl>
      </header>

      <div class="record-grid">
        <div class="record-column">
          <ProfileCard api={api} child={child} t={t} locale={locale} onSaved={reload} />
          <ChildPhotoEditor
            api={api}
            childId={child.id}
            photoUrl={child.photoUrl}
            onChanged={reload}
            t={t}
            locale={locale}
            childName={`${child.familyName}${child.givenName}`}
          />
          {household && (
            <HouseholdCard
              household={household}
              childId={child.id}
              t={t}
              onOpen={(id) => navigate(`/children/${id}`)}
            />
          )}
        </div>
        <div class="record-column">
          {household && (
            <ContactsCard
              api={api}
              me={me}
              contacts={household.contacts}
              householdId={household.id}
              householdArchived={household.archivedAt !== null}
              zone={zone}
              t={t}
              locale={locale}
              onChanged={reload}
            />
          )}
          <CallsCard calls={calls?.items ?? null} total={calls?.total ?? 0} zone={zone} t={t} locale={locale} />
          <BookingsCard bookings={bookings} now={now} zone={zone} t={t} locale={locale} />
        </div>
      </div>
      <GrowthDiary api={api} childId={child.id} me={me} t={t} locale={locale} zone={zone} />
      {me.role === 'admin' && (
        <RecordAdmin api={api} child={child} t={t} locale={locale} onErased={() => navigate('/children')} />
      )}
    </section>
  );
}
