import type { ApiResponse } from '@affection/server/contract';
import type { ApiError, Locale, Translate } from '@affection/ui';
import { useEffect, useId, useState } from 'preact/hooks';
import type { ConsoleApi, Me } from '../../shell/console-api.ts';
import { useDraft } from '../../shell/drafts.ts';
import { problemText } from '../common/api-problem.ts';
import { Banner } from '../common/banner.tsx';
import { Button } from '../common/button.tsx';
import { Dialog } from '../common/dialog.tsx';
import { type DiaryDraft, DiaryEntryForm } from './diary-entry-form.tsx';
import { MoodFace } from './mood-face.tsx';
import './diary.css';

/** A diary entry as the API lists it. */
export type DiaryEntry = ApiResponse<'GET /api/children/{id}/diary'>['entries'][number];

/** Options of {@link GrowthDiary}. */
export interface GrowthDiaryProps {
  api: ConsoleApi;
  childId: string;
  /** The signed-in member of staff (the author of new entries). */
  me: Me;
  t: Translate;
  locale: Locale;
  /** The Home's time zone, which decides what "today" is. Default Asia/Shanghai. */
  zone?: string;
}

/** Today's date in `zone`, 'YYYY-MM-DD'. */
function todayIn(zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );
}

/** A 'YYYY-MM-DD' day as words, e.g. 2026年9月7日 周一. */
function dayWords(date: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    weekday: 'short',
  }).format(new Date(`${date}T00:00:00Z`));
}

/** The form's values of an entry. */
function draftOf(entry: DiaryEntry): DiaryDraft {
  return { entryDate: entry.entryDate, text: entry.text, mood: entry.mood, tags: [...entry.tags] };
}

/**
 * 成长日记: the child's dated entries, newest first, with the author, mood face and tags; a teacher
 * writes, changes and deletes their own (the admin any). What is typed is kept as a draft until saved.
 */
export function GrowthDiary({ api, childId, me, t, locale, zone = 'Asia/Shanghai' }: GrowthDiaryProps) {
  const id = useId();
  const [entries, setEntries] = useState<DiaryEntry[] | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [version, setVersion] = useState(0);
  const [adding, setAdding] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<DiaryEntry | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const blank: DiaryDraft = { entryDate: todayIn(zone), text: '', mood: null, tags: [] };
  const [newDraft, setNewDraft, clearNewDraft] = useDraft<DiaryDraft>(`diary.new.${childId}`, blank);
  const editing = entries?.find((entry) => entry.id === editingId) ?? null;
  const [editDraft, setEditDraft, clearEditDraft] = useDraft<DiaryDraft>(
    `diary.edit.${editingId ?? 'none'}`,
    editing ? draftOf(editing) : blank,
  );

  useEffect(() => {
    const controller = new AbortController();
    api.call('GET /api/children/{id}/diary', { params: { id: childId }, signal: controller.signal }).then(
      (answer) => {
        setEntries(answer.entries);
        setLoadError(null);
      },
      (caught: ApiError) => {
        if (!controller.signal.aborted) setLoadError(caught);
      },
    );
    return () => controller.abort();
  }, [api, childId, version]);

  const reload = () => setVersion((v) => v + 1);
  const problem = error && error.fields.length === 0 ? problemText(error, t) : null;

  const add = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.call('POST /api/children/{id}/diary', { params: { id: childId }, body: newDraft });
      clearNewDraft();
      setNewDraft(blank);
      setAdding(false);
      setDone(t('console.diary.saved'));
      reload();
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    if (!editing) return;
    setBusy(true);
    setError(null);
    try {
      await api.call('PATCH /api/diary/{id}', { params: { id: editing.id }, body: editDraft });
      clearEditDraft();
      setEditingId(null);
      setDone(t('console.diary.saved'));
      reload();
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!deleting) return;
    setBusy(true);
    try {
      await api.call('DELETE /api/diary/{id}', { params: { id: deleting.id } });
      setDeleting(null);
      setDone(t('console.diary.deleted'));
      reload();
    } catch (caught) {
      setDeleting(null);
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const startEdit = (entry: DiaryEntry) => {
    setAdding(false);
    setError(null);
    setDone(null);
    setEditDraft(draftOf(entry));
    setEditingId(entry.id);
  };

  return (
    <section class="card diary" aria-labelledby={`${id}-title`} data-testid="growth-diary">
      <div class="card-head">
        <h2 id={`${id}-title`}>{t('console.diary.title')}</h2>
        {!adding && (
          <Button
            kind="primary"
            onClick={() => {
              setAdding(true);
              setEditingId(null);
              setError(null);
              setDone(null);
            }}
          >
            {t('console.diary.add')}
          </Button>
        )}
      </div>
      {done && <Banner kind="ok">{done}</Banner>}
      {adding && (
        <DiaryEntryForm
          title={t('console.diary.add')}
          draft={newDraft}
          onDraft={(draft) => {
            setNewDraft(draft);
            setError(null);
          }}
          onSubmit={add}
          onCancel={() => {
            setAdding(false);
            setError(null);
          }}
          busy={busy}
          error={error}
          problem={problem}
          t={t}
          locale={locale}
        />
      )}
      {!adding && !editing && problem && (
        <p class="form-error" role="alert">
          {problem}
        </p>
      )}
      {loadError && !entries && (
        <p class="form-error" role="alert">
          {problemText(loadError, t)} <Button onClick={reload}>{t('console.shell.retry')}</Button>
        </p>
      )}
      {entries === null && !loadError && <p class="diary-loading">{t('console.shell.loading')}</p>}
      {entries?.length === 0 && !adding && <p class="diary-empty">{t('console.diary.empty')}</p>}
      {entries && entries.length > 0 && (
        <ol class="diary-list">
          {entries.map((entry) =>
            editing?.id === entry.id ? (
              <li key={entry.id} class="diary-entry">
                <DiaryEntryForm
                  title={t('console.diary.editing')}
                  draft={editDraft}
                  onDraft={(draft) => {
                    setEditDraft(draft);
                    setError(null);
                  }}
                  onSubmit={save}
                  onCancel={() => {
                    clearEditDraft();
                    setEditingId(null);
                    setError(null);
                  }}
                  busy={busy}
                  error={error}
                  problem={problem}
                  t={t}
                  locale={locale}
                />
              </li>
            ) : (
              <li
                key={entry.id}
                class={`diary-entry${entry.authorId === me.id ? ' diary-entry-own' : ''}`}
                data-entry={entry.id}
              >
                <div class="diary-entry-head">
                  <h3 class="diary-day">{dayWords(entry.entryDate, locale)}</h3>
                  {entry.mood !== null && (
                    <span
                      class="diary-mood"
                      role="img"
                      aria-label={`${t('console.diary.mood')}: ${t(`console.diary.mood.${entry.mood}` as 'console.diary.mood.1')}`}
                    >
                      <MoodFace mood={entry.mood} size={32} />
                    </span>
                  )}
                  {entry.tags.map((tag) => (
                    <span key={tag} class="chip chip-static">
                      {t(`console.diary.tag.${tag}`)}
                    </span>
                  ))}
                  <span class="diary-author">
                    {t('console.diary.by', { name: entry.authorName ?? t('console.diary.by-unknown') })}
                    {entry.updatedAt !== entry.createdAt && ` · ${t('console.diary.edited')}`}
                  </span>
                </div>
                <p class="diary-text">{entry.text}</p>
                {entry.canEdit && (
                  <div class="diary-actions">
                    <Button onClick={() => startEdit(entry)} disabled={busy}>
                      {t('console.diary.edit')}
                    </Button>
                    <Button kind="danger" onClick={() => setDeleting(entry)} disabled={busy}>
                      {t('console.diary.delete')}
                    </Button>
                  </div>
                )}
              </li>
            ),
          )}
        </ol>
      )}
      {deleting && (
        <Dialog
          title={t('console.diary.delete')}
          onClose={() => setDeleting(null)}
          closeLabel={t('console.common.close')}
        >
          <p>{t('console.diary.delete-confirm')}</p>
          <div class="form-actions">
            <Button kind="danger" busy={busy} onClick={remove}>
              {t('console.diary.delete')}
            </Button>
            <Button onClick={() => setDeleting(null)}>{t('console.common.cancel')}</Button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
