const DEVICE_KEY = 'affection.family.device';
const LINK_KEY = 'affection.family.link';
const AUDIO_ONLY_KEY = 'affection.family.audio-only';

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
    write(AUDIO_ONLY_KEY, null);
  },
  /** Whether the parent chose "只听声音" for this call when booking it (the join screen starts with it). */
  isAudioOnly(bookingId: string): boolean {
    return (read(AUDIO_ONLY_KEY) ?? '').split(',').includes(bookingId);
  },
  /** Keeps the choice of video or "只听声音" for a call (the last 20 calls chosen). */
  setAudioOnly(bookingId: string, audioOnly: boolean): void {
    const others = (read(AUDIO_ONLY_KEY) ?? '').split(',').filter((id) => id !== '' && id !== bookingId);
    const ids = audioOnly ? [...others, bookingId].slice(-20) : others;
    write(AUDIO_ONLY_KEY, ids.length > 0 ? ids.join(',') : null);
  },
};
