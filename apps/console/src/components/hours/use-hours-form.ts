import { useEffect, useState } from 'preact/hooks';
import { useDraft } from '../../shell/drafts.ts';

/** What a form finds wrong itself, by field, shown beside the inputs. */
export type FormProblems<T> = Partial<Record<keyof T, string>>;

/** Options of {@link useHoursForm}. */
export interface HoursFormOptions<T extends { note: string }> {
  /** The draft's key in sessionStorage (`hours.closure`). */
  key: string;
  /** The form when empty. */
  empty: T;
  /** Counts the form's changes saved (at once, or after the calls were listed): each empties the form. */
  savedCount: number;
  /** The form's own check before anything is sent; nothing found: `{}`. */
  check: (draft: T) => FormProblems<T>;
  /** Called with the draft (its note trimmed) when the check found nothing. */
  onSubmit: (draft: T) => void;
}

/**
 * A form of the hours screen: its draft kept while typed (see `useDraft`) and emptied each time a change of it is
 * saved, its own problems, and the submit handler that checks before handing the draft on.
 */
export function useHoursForm<T extends { note: string }>({
  key,
  empty,
  savedCount,
  check,
  onSubmit,
}: HoursFormOptions<T>) {
  const [draft, setDraft, clearDraft] = useDraft<T>(key, empty);
  useEffect(() => {
    if (savedCount === 0) return;
    setDraft(empty);
    clearDraft();
  }, [savedCount]);
  const [problems, setProblems] = useState<FormProblems<T>>({});
  const submit = (event: Event) => {
    event.preventDefault();
    const own = check(draft);
    setProblems(own);
    if (Object.keys(own).length === 0) onSubmit({ ...draft, note: draft.note.trim() });
  };
  return { draft, setDraft, problems, submit };
}
