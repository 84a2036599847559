import { useMemo, useSyncExternalStore } from 'react';
import { parseRoute, type Route } from './routes';

/** pushState fires no event of its own; this one tells useRoute to look again. */
const NAVIGATED = 'parley:navigated';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATED, onChange);
  };
}

export function currentPath(): string {
  return window.location.pathname;
}

export function navigate(path: string): void {
  if (path === currentPath()) return;
  window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATED));
}

export function useRoute(): Route {
  const pathname = useSyncExternalStore(subscribe, currentPath);
  return useMemo(() => parseRoute(pathname), [pathname]);
}
