import { FakeClock } from '@parley/mesh/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAppStore } from '../../app/store';
import type { KeyPress, KeyTarget } from './keyboard-target';
import { PUSH_TO_TALK_RELEASE_DELAY_MS, PushToTalk } from './push-to-talk';

const button: KeyTarget = { tagName: 'BUTTON', closest: () => null };
const chatBox: KeyTarget = { tagName: 'TEXTAREA', closest: () => null };
const checkboxInDialog: KeyTarget = { tagName: 'INPUT', type: 'checkbox', closest: (s) => (s === 'dialog' ? {} : null) };

function press(code: string, more: Partial<KeyPress> = {}): KeyPress {
  return { key: code === 'Space' ? ' ' : code, code, repeat: false, ctrlKey: false, altKey: false, metaKey: false, target: button, ...more };
}
const space = (more: Partial<KeyPress> = {}) => press('Space', more);

/** Push to talk over the real voice slice: what the store says is what the Mute button and the peers see. */
function setup() {
  const store = createAppStore();
  const clock = new FakeClock();
  let toggles = 0;
  const ptt = new PushToTalk({
    clock,
    voice: () => store.getState(),
    toggleMute: () => {
      toggles++;
      store.getState().muteToggled();
    },
  });
  const muted = () => store.getState().muted;
  return { store, clock, ptt, muted, toggles: () => toggles };
}

let t: ReturnType<typeof setup>;
beforeEach(() => {
  t = setup();
});

describe('push to talk', () => {
  it('mutes you when it is turned on, and leaves you muted when turned off', () => {
    expect(t.muted()).toBe(false);
    t.ptt.configure({ enabled: true, key: 'Space' });
    expect(t.muted()).toBe(true);
    t.ptt.configure({ enabled: false, key: 'Space' });
    expect(t.muted()).toBe(true);
  });

  it('leaves the keys alone while it is off', () => {
    expect(t.ptt.keyDown(space())).toBe(false);
    expect(t.ptt.keyUp(space())).toBe(false);
    expect(t.toggles()).toBe(0);
  });

  it('unmutes while the key is held and mutes again a short while after it is let go', () => {
    t.ptt.configure({ enabled: true, key: 'Space' });
    expect(t.ptt.keyDown(space())).toBe(true);
    expect(t.muted()).toBe(false);
    // Auto-repeat while held: claimed (no scrolling) and nothing changes.
    expect(t.ptt.keyDown(space({ repeat: true }))).toBe(true);
    expect(t.muted()).toBe(false);

    expect(t.ptt.keyUp(space())).toBe(true);
    t.clock.advance(PUSH_TO_TALK_RELEASE_DELAY_MS - 1);
    expect(t.muted()).toBe(false);
    t.clock.advance(1);
    expect(t.muted()).toBe(true);
  });

  it('pressing again within the release delay keeps you talking, without a gap', () => {
    t.ptt.configure({ enabled: true, key: 'Space' });
    t.ptt.keyDown(space());
    t.ptt.keyUp(space());
    t.clock.advance(100);
    t.ptt.keyDown(space());
    t.clock.advance(PUSH_TO_TALK_RELEASE_DELAY_MS * 4);
    expect(t.muted()).toBe(false);
    expect(t.toggles()).toBe(2); // muted on turning on, unmuted once
    t.ptt.keyUp(space());
    t.clock.advance(PUSH_TO_TALK_RELEASE_DELAY_MS);
    expect(t.muted()).toBe(true);
    expect(t.clock.pendingTimers).toBe(0);
  });

  it('ignores the key while you type in a text field, so Space types a space', () => {
    t.ptt.configure({ enabled: true, key: 'Space' });
    expect(t.ptt.keyDown(space({ target: chatBox }))).toBe(false);
    expect(t.ptt.keyUp(space({ target: chatBox }))).toBe(false);
    expect(t.muted()).toBe(true);
  });

  it('leaves Space to a dialog’s own controls', () => {
    t.ptt.configure({ enabled: true, key: 'Space' });
    expect(t.ptt.keyDown(space({ target: checkboxInDialog }))).toBe(false);
    expect(t.muted()).toBe(true);
  });

  it('ends a press whose key up lands in a text field: the key down was push to talk’s', () => {
    t.ptt.configure({ enabled: true, key: 'Space' });
    t.ptt.keyDown(space());
    expect(t.ptt.keyUp(space({ target: chatBox }))).toBe(true);
    t.clock.advance(PUSH_TO_TALK_RELEASE_DELAY_MS);
    expect(t.muted()).toBe(true);
  });

  it('ignores other keys and Space with Ctrl, Alt or Meta', () => {
    t.ptt.configure({ enabled: true, key: 'Space' });
    expect(t.ptt.keyDown(press('KeyT'))).toBe(false);
    for (const modifier of ['ctrlKey', 'altKey', 'metaKey'] as const) expect(t.ptt.keyDown(space({ [modifier]: true }))).toBe(false);
    expect(t.muted()).toBe(true);
  });

  it('listens to the key it was given', () => {
    t.ptt.configure({ enabled: true, key: 'KeyT' });
    expect(t.ptt.keyDown(space())).toBe(false);
    expect(t.ptt.keyDown(press('KeyT'))).toBe(true);
    expect(t.muted()).toBe(false);
  });

  it('does not unmute while you are deafened, and undeafening does not unmute you either', () => {
    t.ptt.configure({ enabled: true, key: 'Space' });
    t.store.getState().deafenToggled();
    expect(t.ptt.keyDown(space())).toBe(true);
    expect(t.store.getState()).toMatchObject({ muted: true, deafened: true });
    t.ptt.keyUp(space());
    t.clock.advance(PUSH_TO_TALK_RELEASE_DELAY_MS);
    expect(t.store.getState()).toMatchObject({ muted: true, deafened: true });
  });

  it('keeps you muted when your voice changes while the key is up (deafened mid-press, then undeafened)', () => {
    t.ptt.configure({ enabled: true, key: 'Space' });
    t.ptt.keyDown(space());
    t.store.getState().deafenToggled(); // remembers "was unmuted"
    t.ptt.keyUp(space());
    t.clock.advance(PUSH_TO_TALK_RELEASE_DELAY_MS);
    t.store.getState().deafenToggled(); // gives back the unmute
    expect(t.muted()).toBe(false);
    t.ptt.voiceChanged();
    expect(t.store.getState()).toMatchObject({ muted: true, deafened: false });
  });

  it('lets a voice change through while the key is held', () => {
    t.ptt.configure({ enabled: true, key: 'Space' });
    t.ptt.keyDown(space());
    t.ptt.voiceChanged();
    expect(t.muted()).toBe(false);
  });

  it('stops at once, muted, when the page loses the keyboard mid-press', () => {
    t.ptt.configure({ enabled: true, key: 'Space' });
    t.ptt.keyDown(space());
    t.ptt.stop();
    expect(t.muted()).toBe(true);
    // The key up that follows (if any) is no longer ours.
    expect(t.ptt.keyUp(space())).toBe(false);
    expect(t.clock.pendingTimers).toBe(0);
  });

  it('turned off mid-press: you end up muted and the key is yours again', () => {
    t.ptt.configure({ enabled: true, key: 'Space' });
    t.ptt.keyDown(space());
    t.ptt.configure({ enabled: false, key: 'Space' });
    expect(t.muted()).toBe(true);
    expect(t.ptt.keyDown(space())).toBe(false);
  });
});
