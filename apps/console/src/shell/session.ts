import type { ApiError } from '@affection/ui';
import type { Me, StaffSession } from './console-api.ts';

/** Where the session stands: still asking the server, signed in, never signed in, or expired under a screen. */
export type SessionState =
  | { kind: 'checking' }
  | { kind: 'signed-in'; me: Me }
  | { kind: 'signed-out' }
  | { kind: 'expired'; me: Me };

type Listener = (state: SessionState) => void;

/**
 * The staff session as the page knows it: the CSRF token lives in memory only (GET /api/auth/me
 * answers it again after a reload; the session cookie is httpOnly).
 */
function createSessionStore() {
  let state: SessionState = { kind: 'checking' };
  let csrf: string | null = null;
  const listeners = new Set<Listener>();
  const set = (next: SessionState) => {
    state = next;
    for (const listener of listeners) listener(state);
  };
  return {
    /** The current state. */
    state: (): SessionState => state,
    /** The CSRF token of the signed-in session, null when none. */
    csrfToken: (): string | null => csrf,
    /** Calls `listener` on every change; returns the unsubscribe. */
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** A sign-in or `GET /api/auth/me` answered. */
    signIn(answer: StaffSession): void {
      csrf = answer.csrfToken;
      set({ kind: 'signed-in', me: answer.staff });
    },
    /** Nobody is signed in (first load, or after signing out). */
    signOut(): void {
      csrf = null;
      set({ kind: 'signed-out' });
    },
    /** A credentialed call got 401: the screen stays, the sign-in shows over it. */
    expire(_error: ApiError): void {
      csrf = null;
      if (state.kind === 'signed-in') set({ kind: 'expired', me: state.me });
      else if (state.kind === 'checking') set({ kind: 'signed-out' });
    },
  };
}

/** The page's one session store. */
export const session = createSessionStore();
