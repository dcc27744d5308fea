const DEVICE_KEY = 'affection.family.device';
const LINK_KEY = 'affection.family.link';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    // Storage off (private mode in some browsers): the phone simply stays signed out.
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // See read().
  }
}

/** This phone's device token, kept across visits. */
export const deviceStore = {
  token: (): string | null => read(DEVICE_KEY),
  /** The enrolment link this phone signed in with (to not sign in again on a reload of the link). */
  link: (): string | null => read(LINK_KEY),
  save(token: string, link: string | null = null): void {
    write(DEVICE_KEY, token);
    write(LINK_KEY, link);
  },
  clear(): void {
    write(DEVICE_KEY, null);
    write(LINK_KEY, null);
  },
};
