import { useEffect, useState } from 'preact/hooks';
import { readDeviceToken } from '../api/device-token.ts';
import { initialsOf } from '../lib/time-left.ts';

/**
 * The picture at `url` (the API's kiosk photo URL, which names the photo's version), fetched with the
 * kiosk's device token and shown from memory; null until it has arrived, or when there is none or it
 * failed. The answer is `Cache-Control: private` and kept for a year under its versioned URL, so the
 * browser fetches each photo once, not at every poll.
 */
function usePhoto(url: string | null | undefined): string | null {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    setSrc(null);
    if (!url) return;
    let objectUrl: string | null = null;
    let cancelled = false;
    const token = readDeviceToken();
    fetch(url, { headers: token ? { authorization: `Kiosk ${token}` } : {}, credentials: 'omit' })
      .then((response) => (response.ok ? response.blob() : null))
      .then((blob) => {
        if (!blob || cancelled) return;
        objectUrl = URL.createObjectURL(blob);
        setSrc(objectUrl);
      })
      // No photo after all: the initials stay.
      .catch(() => {});
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url]);
  return src;
}

/** Props of {@link ChildAvatar}. */
export interface ChildAvatarProps {
  name: string;
  colour: string;
  size: number;
  /** The child's photo (from the kiosk's calls); the initials on the child's colour without one. */
  photoUrl?: string | null;
}

/** A child's round picture: their photo, or their initials on their own colour when there is none. */
export function ChildAvatar({ name, colour, size, photoUrl }: ChildAvatarProps) {
  const initials = initialsOf(name);
  const src = usePhoto(photoUrl);
  return (
    <div
      class="avatar"
      data-photo={src ? 'shown' : 'none'}
      style={{
        width: `${size}px`,
        height: `${size}px`,
        background: colour,
        fontSize: `${Math.round(size / (initials.length > 1 ? 2.6 : 1.9))}px`,
        overflow: 'hidden',
      }}
      aria-hidden="true"
    >
      {src ? (
        <img
          src={src}
          alt=""
          width={size}
          height={size}
          draggable={false}
          style={{ width: '100%', height: '100%', objectFit: 'cover', display: 'block' }}
        />
      ) : (
        initials
      )}
    </div>
  );
}
