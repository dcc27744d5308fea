import { useEffect, useRef, useState } from 'preact/hooks';

/** The server's time now (the kiosk's clock corrected by `skewMs`), updated every second. */
export function useServerNow(skewMs: number): number {
  const [now, setNow] = useState(() => Date.now() + skewMs);
  useEffect(() => {
    setNow(Date.now() + skewMs);
    const timer = setInterval(() => setNow(Date.now() + skewMs), 1000);
    return () => clearInterval(timer);
  }, [skewMs]);
  return now;
}

/** Calls `onIdle` once nobody has touched the screen for `ms` (default 60 s). */
export function useIdle(onIdle: () => void, ms = 60_000): void {
  const callback = useRef(onIdle);
  callback.current = onIdle;
  useEffect(() => {
    let timer = setTimeout(() => callback.current(), ms);
    const touched = () => {
      clearTimeout(timer);
      timer = setTimeout(() => callback.current(), ms);
    };
    document.addEventListener('pointerdown', touched, { passive: true });
    return () => {
      clearTimeout(timer);
      document.removeEventListener('pointerdown', touched);
    };
  }, [ms]);
}
