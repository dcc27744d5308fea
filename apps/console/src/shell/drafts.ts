import { useEffect, useState } from 'preact/hooks';

const PREFIX = 'console.draft.';

/**
 * A form's values kept in sessionStorage while they are typed, so that a reload, an expired session
 * or a failed save loses nothing. Clear it once the save succeeded. Passwords never go in a draft.
 *
 * @example const [draft, setDraft, clearDraft] = useDraft('board.cancel.bkg_…', { reason: '' });
 */
export function useDraft<T extends object>(key: string, initial: T): [T, (next: T) => void, () => void] {
  const [value, setValue] = useState<T>(() => readDraft(key) ?? initial);
  useEffect(() => {
    setValue(readDraft(key) ?? initial);
    // Only a new key reloads; `initial` is a fresh object on every render.
  }, [key]);
  const set = (next: T) => {
    setValue(next);
    try {
      sessionStorage.setItem(PREFIX + key, JSON.stringify(next));
    } catch {
      // A full or blocked storage keeps the draft in memory only.
    }
  };
  const clear = () => {
    try {
      sessionStorage.removeItem(PREFIX + key);
    } catch {
      // nothing kept
    }
  };
  return [value, set, clear];
}

function readDraft<T>(key: string): T | null {
  try {
    const text = sessionStorage.getItem(PREFIX + key);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

/** Forgets every draft (on sign-out: the next teacher at this PC must not see them). */
export function clearDrafts(): void {
  try {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith(PREFIX)) sessionStorage.removeItem(key);
  } catch {
    // storage blocked: nothing was kept
  }
}
