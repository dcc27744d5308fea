import type { ApiError, Locale, Translate } from '@affection/ui';
import { useId } from 'preact/hooks';
import { fieldProblem } from '../common/api-problem.ts';
import { Button } from '../common/button.tsx';
import { Field } from '../common/field.tsx';
import { MoodFace } from './mood-face.tsx';

/** The diary's tags, in the order they are shown (学习 情绪 健康 家庭). */
export const DIARY_TAGS = ['study', 'emotion', 'health', 'family'] as const;

/** One of {@link DIARY_TAGS}. */
export type DiaryTag = (typeof DIARY_TAGS)[number];

/** What the form holds while it is typed (kept as a draft). */
export interface DiaryDraft {
  entryDate: string;
  text: string;
  mood: number | null;
  tags: DiaryTag[];
}

/** Options of {@link DiaryEntryForm}. */
export interface DiaryEntryFormProps {
  title: string;
  draft: DiaryDraft;
  onDraft: (draft: DiaryDraft) => void;
  onSubmit: () => void;
  onCancel: () => void;
  busy: boolean;
  error: ApiError | null;
  /** A problem not tied to a field. */
  problem: string | null;
  t: Translate;
  locale: Locale;
}

/** A diary entry being written or changed: date, text, one of five mood faces (or none), tags as toggles. */
export function DiaryEntryForm(props: DiaryEntryFormProps) {
  const { title, draft, onDraft, onSubmit, onCancel, busy, error, problem, t, locale } = props;
  const id = useId();
  const set = (patch: Partial<DiaryDraft>) => onDraft({ ...draft, ...patch });
  const moodProblem = fieldProblem(error, 'mood', locale);
  const tagsProblem =
    fieldProblem(error, 'tags', locale) ?? error?.fields.find((f) => f.path.startsWith('tags.'))?.message[locale];
  const moods: (number | null)[] = [1, 2, 3, 4, 5, null];
  return (
    <form
      class="diary-form"
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <h3 id={`${id}-title`}>{title}</h3>
      <div class="diary-date">
        <Field
          label={t('console.diary.date')}
          type="date"
          value={draft.entryDate}
          onValue={(entryDate) => set({ entryDate })}
          error={fieldProblem(error, 'entryDate', locale)}
          required
        />
      </div>
      <Field
        label={t('console.diary.text')}
        hint={t('console.diary.text-hint')}
        multiline
        value={draft.text}
        onValue={(text) => set({ text })}
        error={fieldProblem(error, 'text', locale)}
        maxLength={2000}
        required
      />
      <fieldset class="diary-fieldset">
        <legend>{t('console.diary.mood')}</legend>
        <div class="mood-choices">
          {moods.map((mood) => (
            <label key={mood ?? 'none'} class={`mood-choice${draft.mood === mood ? ' mood-choice-on' : ''}`}>
              <input
                type="radio"
                name={`${id}-mood`}
                class="mood-radio"
                checked={draft.mood === mood}
                onChange={() => set({ mood })}
              />
              {mood === null ? (
                <span class="mood-none" aria-hidden="true">
                  —
                </span>
              ) : (
                <MoodFace mood={mood} size={40} />
              )}
              <span class="mood-word">
                {mood === null
                  ? t('console.diary.mood-none')
                  : t(`console.diary.mood.${mood}` as 'console.diary.mood.1')}
              </span>
            </label>
          ))}
        </div>
        {moodProblem && (
          <div class="field-error" role="alert">
            {moodProblem}
          </div>
        )}
      </fieldset>
      <fieldset class="diary-fieldset">
        <legend>{t('console.diary.tags')}</legend>
        <div class="tag-chips">
          {DIARY_TAGS.map((tag) => {
            const on = draft.tags.includes(tag);
            return (
              <button
                key={tag}
                type="button"
                class={`chip${on ? ' chip-on' : ''}`}
                aria-pressed={on}
                onClick={() => set({ tags: on ? draft.tags.filter((x) => x !== tag) : [...draft.tags, tag] })}
              >
                {t(`console.diary.tag.${tag}`)}
              </button>
            );
          })}
        </div>
        {tagsProblem && (
          <div class="field-error" role="alert">
            {tagsProblem}
          </div>
        )}
      </fieldset>
      {problem && (
        <p class="form-error" role="alert">
          {problem}
        </p>
      )}
      <div class="form-actions">
        <Button kind="primary" submit busy={busy}>
          {t('console.diary.save')}
        </Button>
        <Button onClick={onCancel} disabled={busy}>
          {t('console.common.cancel')}
        </Button>
      </div>
    </form>
  );
}
