import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../app/store';
import { selectVoiceState } from './voice-slice';

const voice = (store: ReturnType<typeof createAppStore>) => selectVoiceState(store.getState());

describe('voice slice', () => {
  it('says "speaking while muted" while the engine hears it, and forgets it on unmute', () => {
    const store = createAppStore();
    store.getState().muteToggled();
    store.getState().speakingWhileMutedChanged(true);
    expect(store.getState().speakingWhileMuted).toBe(true);
    store.getState().muteToggled();
    expect(store.getState().speakingWhileMuted).toBe(false);
  });

  it('toggles mute', () => {
    const store = createAppStore();
    store.getState().muteToggled();
    expect(voice(store)).toEqual({ muted: true, deafened: false });
    store.getState().muteToggled();
    expect(voice(store)).toEqual({ muted: false, deafened: false });
  });

  it('deafening mutes you too, and undeafening gives back the mute you had', () => {
    const store = createAppStore();
    store.getState().deafenToggled();
    expect(voice(store)).toEqual({ muted: true, deafened: true });
    store.getState().deafenToggled();
    expect(voice(store)).toEqual({ muted: false, deafened: false });

    store.getState().muteToggled();
    store.getState().deafenToggled();
    store.getState().deafenToggled();
    expect(voice(store)).toEqual({ muted: true, deafened: false });
  });

  it('unmuting while deafened lets you hear again', () => {
    const store = createAppStore();
    store.getState().deafenToggled();
    store.getState().muteToggled();
    expect(voice(store)).toEqual({ muted: false, deafened: false });
  });
});

describe('sound held back by the browser', () => {
  it('is flagged when refused, cleared when sound plays again', () => {
    const store = createAppStore();
    expect(store.getState().playbackBlocked).toBe(false);
    store.getState().playbackRefused();
    expect(store.getState().playbackBlocked).toBe(true);
    store.getState().playbackResumed();
    expect(store.getState().playbackBlocked).toBe(false);
  });

  it('is forgotten when the visit ends', () => {
    const store = createAppStore();
    store.getState().playbackRefused();
    store.getState().voiceReset();
    expect(store.getState().playbackBlocked).toBe(false);
  });
});
