import { useCallback, useSyncExternalStore } from 'react';

/** Whether `query` matches now; re-renders when that changes. False where there is no matchMedia. */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (typeof window === 'undefined' || !window.matchMedia) return () => undefined;
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    [query],
  );
  const matches = () => typeof window !== 'undefined' && window.matchMedia !== undefined && window.matchMedia(query).matches;
  return useSyncExternalStore(subscribe, matches, () => false);
}
