import { browserEnvironment } from '@parley/mesh';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useVoiceSession } from '../../app/session-context';
import { appStore, type AppState } from '../../app/store';
import type { VoiceSession } from '../../app/voice-session';
import { shortcutOf } from './keyboard-shortcuts';
import type { KeyPress } from './keyboard-target';
import { PushToTalk } from './push-to-talk';
import { selectPushToTalk } from './voice-settings-slice';

/** What the controllers read of a KeyboardEvent; the target only when it is an element. */
function keyPress(event: KeyboardEvent): KeyPress {
  const { key, code, repeat, ctrlKey, altKey, metaKey } = event;
  return { key, code, repeat, ctrlKey, altKey, metaKey, target: event.target instanceof Element ? event.target : null };
}

/**
 * Mute as the Mute button does it: with push to talk on, the key decides
 * and Mute does nothing (the button says so).
 */
export function toggleMuteUnlessPushToTalk(session: Pick<VoiceSession, 'toggleMute'>): void {
  if (!selectPushToTalk(appStore.getState())) session.toggleMute();
}

/**
 * The room's keyboard while it is on screen: M, D and ? (see SHORTCUTS) and
 * push to talk, which follows the voice settings and keeps you muted while
 * its key is up. Returns whether the "Keyboard shortcuts" dialog is open.
 */
export function useRoomKeyboard(): { shortcutsOpen: boolean; closeShortcuts(): void } {
  const session = useVoiceSession();
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  /** What had the focus when ? opened the dialog: it gets it back. */
  const focusBefore = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const ptt = new PushToTalk({
      clock: browserEnvironment().clock,
      voice: () => appStore.getState(),
      toggleMute: () => session.toggleMute(),
    });
    const configure = ({ voiceSettings }: AppState) => ptt.configure({ enabled: voiceSettings.pushToTalk, key: voiceSettings.pushToTalkKey });
    configure(appStore.getState());
    const unsubscribe = appStore.subscribe((state, previous) => {
      if (state.voiceSettings !== previous.voiceSettings) configure(state);
      else if (state.muted !== previous.muted || state.deafened !== previous.deafened) ptt.voiceChanged();
    });

    const onKeyDown = (event: KeyboardEvent) => {
      const press = keyPress(event);
      // Space neither scrolls the page nor presses the focused button while it is push to talk's.
      if (ptt.keyDown(press)) {
        event.preventDefault();
        return;
      }
      const action = shortcutOf(press);
      if (action === undefined) return;
      event.preventDefault();
      switch (action) {
        case 'mute':
          toggleMuteUnlessPushToTalk(session);
          return;
        case 'deafen':
          session.toggleDeafen();
          return;
        case 'help':
          focusBefore.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
          setShortcutsOpen(true);
          return;
        default:
          action satisfies never;
      }
    };
    const onKeyUp = (event: KeyboardEvent) => {
      if (ptt.keyUp(event)) event.preventDefault();
    };
    // Another window or tab has the keyboard: the key up may never come here.
    const onBlur = () => ptt.stop();

    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    window.addEventListener('blur', onBlur);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('blur', onBlur);
      unsubscribe();
      ptt.stop();
    };
  }, [session]);

  const closeShortcuts = useCallback(() => {
    setShortcutsOpen(false);
    focusBefore.current?.focus();
    focusBefore.current = null;
  }, []);

  return { shortcutsOpen, closeShortcuts };
}
