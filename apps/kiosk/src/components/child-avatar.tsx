import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { readDeviceToken } from '../api/device-token.ts';
import { initialsOf } from '../lib/time-left.ts';

/** How many photos the kiosk keeps in memory (a Home's children on one day's calls fit many times over). */
const KEPT_PHOTOS = 200;
/** Each photo's picture in memory, under its versioned URL: a new version is a new URL, fetched once. */
const photos = new Map<string, Promise<string | null>>();

/**
 * The picture at `url` (the API's kiosk photo URL, which names the photo's version), fetched once with
 * the kiosk's device token and kept in memory as long as the page lives, so that polls, screens and the
 * same child on the ready and mood screens never fetch it again. Null when there is none or it failed
 * (tried again the next time the picture is asked for).
 */
function loadPhoto(url: string): Promise<string | null> {
  const kept = photos.get(url);
  if (kept) return kept;
  const token = readDeviceToken();
  const loading = fetch(url, { headers: token ? { authorization: `Kiosk ${token}` } : {}, credentials: 'omit' })
    .then((response) => (response.ok ? response.blob() : null))
    .then((blob) => (blob ? URL.createObjectURL(blob) : null))
    .catch(() => null)
    .then((objectUrl) => {
      if (!objectUrl) photos.delete(url);
      return objectUrl;
    });
  photos.set(url, loading);
  if (photos.size > KEPT_PHOTOS) {
    const [oldest, picture] = photos.entries().next().value ?? [];
    if (oldest && picture) {
      photos.delete(oldest);
      void picture.then((objectUrl) => objectUrl && URL.revokeObjectURL(objectUrl));
    }
  }
  return loading;
}

/**
 * The photo at `url` once `element` is on (or near) the screen: a long wall of tiles fetches only what
 * can be seen. Null until it has arrived, or when there is none.
 */
function usePhoto(url: string | null | undefined, element: RefObject<HTMLElement | null>): string | null {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    setSrc(null);
    const target = element.current;
    if (!url || !target) return;
    let cancelled = false;
    const show = () => {
      void loadPhoto(url).then((objectUrl) => {
        if (!cancelled) setSrc(objectUrl);
      });
    };
    if (!('IntersectionObserver' in window)) {
      show();
      return () => {
        cancelled = true;
      };
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        show();
      },
      { rootMargin: '300px' },
    );
    observer.observe(target);
    return () => {
      cancelled = true;
      observer.disconnect();
    };
  }, [url, element]);
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
  const box = useRef<HTMLDivElement>(null);
  const src = usePhoto(photoUrl, box);
  return (
    <div
      ref={box}
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
