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
  engine: {
    on: On<Pick<RoomEvents, 'peerJoined' | 'peerLeft' | 'linkStateChanged'>>;
    chat: { on: On<Pick<ChatEvents, 'messageReceived'>> };
  };
  store: { getState(): { voiceSettings: VoiceSettings; deafened: boolean; selfId: UserId | undefined } };
  page: PageLike;
  play(cue: Cue): void;
  /** Shows a browser notification for `message` (only called with the setting on and the tab hidden). */
  notify(message: ChatMessage): void;
};

/**
 * How long someone's join sound waits for their link to come up: it sounds
 * as they can be heard, or after this if their link is slow to form.
 */
export const JOIN_CUE_MAX_WAIT_MS = 5_000;

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
 *
 * The join sound waits for the newcomer's link to connect (at most
 * JOIN_CUE_MAX_WAIT_MS): it rings as they can be heard, and stays off the
 * join itself. Played as the newcomer arrived, it woke the page's resting
 * sound context (audio-context.ts) and started its speaker's output while
 * this page made its offer to them: a two-person join took 198 and 205 ms
 * from the Join to first audio both ways (p50 of 20), against 167 and 171 ms
 * for the same build with no sounds and 147 and 148 ms for the raw WebRTC
 * page (bench:join, one run, the builds taking turns). Someone who leaves
 * before their link was up makes no sound at all.
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
  /** Newcomers whose join sound waits for their link, with the wait's end. */
  const joining = new Map<UserId, ReturnType<typeof setTimeout>>();
  const stopWaiting = (userId: UserId): boolean => {
    const timer = joining.get(userId);
    if (timer === undefined) return false;
    clearTimeout(timer);
    joining.delete(userId);
    return true;
  };
  const heardJoining = (userId: UserId) => {
    if (stopWaiting(userId)) cue('join');
  };
  const stops = [
    engine.on('peerJoined', ({ participant }) => {
      const userId = participant.userId;
      stopWaiting(userId);
      joining.set(userId, setTimeout(() => heardJoining(userId), JOIN_CUE_MAX_WAIT_MS));
    }),
    engine.on('linkStateChanged', ({ userId, to }) => {
      if (to === 'connected') heardJoining(userId);
    }),
    engine.on('peerLeft', ({ userId }) => {
      // Gone before they could be heard: no sound for their coming, nor for their going.
      if (!stopWaiting(userId)) cue('leave');
    }),
    engine.chat.on('messageReceived', ({ message }) => onMessage(message)),
    page.onVisibilityChange(onVisibility),
  ];
  return () => {
    for (const stop of stops) stop();
    for (const userId of [...joining.keys()]) stopWaiting(userId);
    if (unread > 0) page.setTitle(titleWithUnread(page.title(), 0));
  };
}
