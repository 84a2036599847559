import type { ChatMessage, Participant, UserId } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Cue } from './cue-sounds';
import { JOIN_CUE_MAX_WAIT_MS, startRoomCues, titleWithUnread } from './room-cues';
import { DEFAULT_VOICE_SETTINGS, type VoiceSettings } from './voice-settings-slice';

type Listener = (payload: never) => void;

/** Engine, chat, page and store stand-ins a test drives like the real ones: events in, sounds and titles out. */
function harness() {
  const listeners = new Map<string, Set<Listener>>();
  const on = (name: string, listener: Listener) => {
    const set = listeners.get(name) ?? new Set();
    listeners.set(name, set);
    set.add(listener);
    return () => set.delete(listener);
  };
  const emit = (name: string, payload: unknown) => {
    for (const listener of listeners.get(name) ?? []) (listener as (p: unknown) => void)(payload);
  };
  const state = { voiceSettings: { ...DEFAULT_VOICE_SETTINGS } as VoiceSettings, deafened: false, selfId: 'me' as UserId | undefined };
  const page = { hiddenNow: false, titleNow: 'friday · Parley', visibility: new Set<() => void>() };
  const played: Cue[] = [];
  const notified: string[] = [];
  const stop = startRoomCues({
    engine: { on: on as never, chat: { on: on as never } },
    store: { getState: () => state },
    play: (cue) => played.push(cue),
    notify: (message) => notified.push(message.text),
    page: {
      hidden: () => page.hiddenNow,
      onVisibilityChange: (listener) => {
        page.visibility.add(listener);
        return () => page.visibility.delete(listener);
      },
      title: () => page.titleNow,
      setTitle: (title) => {
        page.titleNow = title;
      },
    },
  });
  const setHidden = (hidden: boolean) => {
    page.hiddenNow = hidden;
    for (const listener of page.visibility) listener();
  };
  const message = (userId: string, text: string): ChatMessage =>
    ({ roomId: 'friday', seq: 1, clientId: 'c'.repeat(16), userId, displayName: userId, text, sentAt: 0 }) as unknown as ChatMessage;
  return {
    state,
    page,
    played,
    notified,
    stop,
    setHidden,
    joined: (userId: string) => emit('peerJoined', { participant: { userId } as unknown as Participant }),
    left: (userId: string) => emit('peerLeft', { userId, reason: 'left' }),
    /** Our link to `userId` has come up: we can hear them. */
    connected: (userId: string) => emit('linkStateChanged', { userId, from: 'connecting', to: 'connected' }),
    received: (userId: string, text: string) => emit('messageReceived', { message: message(userId, text) }),
    roster: () => emit('roomJoined', { roomId: 'friday', selfId: 'me', participants: [] }),
  };
}

describe('room cues: sounds', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sounds when someone joins, leaves or writes, but not for a roster or our own message', () => {
    const t = harness();
    t.roster();
    t.joined('ada');
    t.connected('ada');
    t.received('ada', 'hi');
    t.received('me', 'from my other tab');
    t.left('ada');
    expect(t.played).toEqual(['join', 'message', 'leave']);
  });

  it('sounds someone joining once their link is up (they can be heard), not while it forms', () => {
    const t = harness();
    t.joined('ada');
    vi.advanceTimersByTime(JOIN_CUE_MAX_WAIT_MS - 1);
    expect(t.played).toEqual([]);
    t.connected('ada');
    expect(t.played).toEqual(['join']);
    // A link that comes back after a recovery is no second arrival.
    t.connected('ada');
    vi.advanceTimersByTime(JOIN_CUE_MAX_WAIT_MS);
    expect(t.played).toEqual(['join']);
  });

  it('sounds a join whose link is slow to come up after a few seconds all the same', () => {
    const t = harness();
    t.joined('ada');
    vi.advanceTimersByTime(JOIN_CUE_MAX_WAIT_MS);
    expect(t.played).toEqual(['join']);
    t.connected('ada');
    expect(t.played).toEqual(['join']);
  });

  it('makes no sound for someone who leaves before their link was up', () => {
    const t = harness();
    t.joined('ada');
    t.left('ada');
    vi.advanceTimersByTime(JOIN_CUE_MAX_WAIT_MS);
    expect(t.played).toEqual([]);
  });

  it('is silent with Sounds off and while deafened', () => {
    const t = harness();
    t.state.voiceSettings.sounds = false;
    t.joined('ada');
    t.connected('ada');
    t.state.voiceSettings.sounds = true;
    t.state.deafened = true;
    t.received('ada', 'hi');
    t.left('ada');
    expect(t.played).toEqual([]);
  });

  it('stops listening when stopped, a join sound still waiting included', () => {
    const t = harness();
    t.joined('bob');
    t.stop();
    t.joined('ada');
    t.connected('ada');
    vi.advanceTimersByTime(JOIN_CUE_MAX_WAIT_MS);
    expect(t.played).toEqual([]);
  });
});

describe('room cues: unread title and notifications', () => {
  it('counts messages from others in the title while hidden and clears it when shown', () => {
    const t = harness();
    t.received('ada', 'seen at once');
    expect(t.page.titleNow).toBe('friday · Parley');
    t.setHidden(true);
    t.received('ada', 'one');
    t.received('me', 'mine');
    t.received('bob', 'two');
    expect(t.page.titleNow).toBe('(2) friday · Parley');
    t.setHidden(false);
    expect(t.page.titleNow).toBe('friday · Parley');
    t.setHidden(true);
    t.received('ada', 'again');
    expect(t.page.titleNow).toBe('(1) friday · Parley');
  });

  it('notifies only while hidden and only with the setting on', () => {
    const t = harness();
    t.setHidden(true);
    t.received('ada', 'off');
    t.state.voiceSettings.notifications = true;
    t.received('ada', 'on');
    t.setHidden(false);
    t.received('ada', 'visible');
    expect(t.notified).toEqual(['on']);
  });

  it('gives the title back when the visit ends while messages are unread', () => {
    const t = harness();
    t.setHidden(true);
    t.received('ada', 'one');
    t.stop();
    expect(t.page.titleNow).toBe('friday · Parley');
  });
});

describe('titleWithUnread', () => {
  it('puts the count in front, replaces an older one, and drops it at zero', () => {
    expect(titleWithUnread('friday · Parley', 3)).toBe('(3) friday · Parley');
    expect(titleWithUnread('(3) friday · Parley', 4)).toBe('(4) friday · Parley');
    expect(titleWithUnread('(4) friday · Parley', 0)).toBe('friday · Parley');
  });
});
