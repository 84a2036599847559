import type { ChatEvents, RoomEvents } from '@parley/mesh';
import type { ChatMessage, UserId } from '@parley/protocol';
import type { Cue } from './cue-sounds';
import type { VoiceSettings } from './voice-settings-slice';

type On<Events> = <K extends keyof Events>(name: K, listener: (payload: Events[K]) => void) => () => void;

/** What the page offers the cues: whether it can be seen, and its title. */
export type PageLike = {
  hidden(): boolean;
  /** Calls `listener` whenever the page is shown or hidden; returns the unsubscribe. */
  onVisibilityChange(listener: () => void): () => void;
  title(): string;
  setTitle(title: string): void;
};

export type RoomCuesDeps = {
  engine: { on: On<Pick<RoomEvents, 'peerJoined' | 'peerLeft'>>; chat: { on: On<Pick<ChatEvents, 'messageReceived'>> } };
  store: { getState(): { voiceSettings: VoiceSettings; deafened: boolean; selfId: UserId | undefined } };
  page: PageLike;
  play(cue: Cue): void;
  /** Shows a browser notification for `message` (only called with the setting on and the tab hidden). */
  notify(message: ChatMessage): void;
};

/** "(3) friday · Parley": the unread count in front of the page's own title, or the plain title at 0. */
export function titleWithUnread(title: string, unread: number): string {
  const plain = title.replace(/^\(\d+\) /, '');
  return unread > 0 ? `(${unread}) ${plain}` : plain;
}

/**
 * What you hear and see of the room while you look elsewhere: a sound when
 * someone joins or leaves and when someone else's message arrives (with
 * Sounds on, never while deafened), the unread count in the tab title while
 * the tab is hidden, and a notification for a message then if you asked
 * for them.
 *
 * Only live events count. The roster you get on joining or after a
 * reconnect comes as one roomJoined (no peerJoined per person), a
 * participant coming back after a server restart as peerReturned, and the
 * chat's history as historyReceived: none of them make a sound. Your own
 * messages come back as messageAcked; one from your other tab carries
 * your userId and is skipped too. Returns the stop.
 */
export function startRoomCues({ engine, store, page, play, notify }: RoomCuesDeps): () => void {
  let unread = 0;
  const soundOn = () => {
    const { voiceSettings, deafened } = store.getState();
    return voiceSettings.sounds && !deafened;
  };
  const cue = (kind: Cue) => {
    if (soundOn()) play(kind);
  };
  const onMessage = (message: ChatMessage) => {
    if (message.userId === store.getState().selfId) return;
    cue('message');
    if (!page.hidden()) return;
    unread += 1;
    page.setTitle(titleWithUnread(page.title(), unread));
    if (store.getState().voiceSettings.notifications) notify(message);
  };
  const onVisibility = () => {
    if (page.hidden() || unread === 0) return;
    unread = 0;
    page.setTitle(titleWithUnread(page.title(), 0));
  };
  const stops = [
    engine.on('peerJoined', () => cue('join')),
    engine.on('peerLeft', () => cue('leave')),
    engine.chat.on('messageReceived', ({ message }) => onMessage(message)),
    page.onVisibilityChange(onVisibility),
  ];
  return () => {
    for (const stop of stops) stop();
    if (unread > 0) page.setTitle(titleWithUnread(page.title(), 0));
  };
}
