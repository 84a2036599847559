import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { SessionMemory } from '../stored-session';
import { OwnerKeys } from '../owner-keys';
import { VoiceSessionContext } from '../session-context';
import { appStore } from '../store';
import { VoiceSession } from '../voice-session';
import { FakeEngine } from './fake-engine';

/** Puts the app store back to how a fresh page starts. */
export function resetAppStore(): void {
  appStore.setState(appStore.getInitialState(), true);
}

/**
 * The markup the browser would get for `element`, with the app store as the
 * test left it. Server rendering reads the store's getInitialState: for the
 * render it is pointed at the current state. The session is inert (nothing
 * is clicked in markup).
 */
export function renderWithAppState(element: ReactElement): string {
  const session = new VoiceSession({
    store: appStore,
    createEngine: ({ displayName }) => new FakeEngine(displayName),
    mediaDevices: undefined,
    navigate: () => {},
    memory: new SessionMemory(undefined),
    startChat: () => {
      throw new Error('nothing starts a chat in a markup test');
    },
    ownerKeys: new OwnerKeys(undefined),
  });
  const initial = appStore.getInitialState;
  appStore.getInitialState = appStore.getState;
  try {
    return renderToStaticMarkup(createElement(VoiceSessionContext.Provider, { value: session }, element));
  } finally {
    appStore.getInitialState = initial;
  }
}

/** The `<li>` items of the markup that mention `text`. */
export function itemsWith(html: string, text: string): string[] {
  return html
    .split('<li')
    .slice(1)
    .filter((item) => item.includes(text));
}
