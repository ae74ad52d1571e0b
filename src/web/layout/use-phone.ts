import { useSyncExternalStore } from 'react';

/** At or below this width the console is a one-column app (drawer menu, one screen at a time). */
export const phoneQuery = '(max-width: 768px)';

const subscribe = (onChange: () => void) => {
  const m = window.matchMedia(phoneQuery);
  m.addEventListener('change', onChange);
  return () => m.removeEventListener('change', onChange);
};

/** Whether the console is on a phone-sized screen (follows rotation and window resizes). */
export function usePhone(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(phoneQuery).matches,
    () => false,
  );
}
