import { createElement } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { appStore } from '../../app/store';
import { renderWithAppState, resetAppStore } from '../../app/testing/render-markup';
import { KeyboardShortcutsDialog } from './keyboard-shortcuts-dialog';
import { VoiceControls } from './voice-controls';
import { VoiceSettingsButton } from './voice-settings-button';
import { VoiceSettingsDialog } from './voice-settings-dialog';

const noop = () => {};

/** The <dialog>'s accessible name: the text of the heading it points at. */
function dialogName(html: string): string | undefined {
  const id = /<dialog[^>]*aria-labelledby="([^"]+)"/.exec(html)?.[1];
  return id === undefined ? undefined : new RegExp(`<h2 id="${id}"[^>]*>([^<]*)</h2>`).exec(html)?.[1];
}

/** The Mute button's opening tag. */
const muteButton = (html: string) => /<button[^>]*>(?:(?!<\/button>).)*>Mute<\/span><\/button>/.exec(html)?.[0] ?? '';

beforeEach(resetAppStore);

describe('Settings', () => {
  it('is a button named Settings that opens a dialog', () => {
    expect(renderWithAppState(createElement(VoiceSettingsButton))).toMatch(/<button type="button"[^>]*aria-haspopup="dialog"[^>]*>(<svg.*<\/svg>)?Settings<\/button>/);
  });

  it('is a dialog named Settings with a Push to talk checkbox that says which key', () => {
    const off = renderWithAppState(createElement(VoiceSettingsDialog, { onClose: noop }));
    expect(dialogName(off)).toBe('Settings');
    expect(off).toMatch(/<label class="check"><input type="checkbox"[^>]*\/>Push to talk<\/label>/);
    expect(off).not.toMatch(/<input type="checkbox"[^>]*checked=""[^>]*\/>Push to talk/);
    expect(off).toContain('<kbd>Space</kbd>');
    expect(off).toMatch(/aria-label="Close"/);

    appStore.getState().voiceSettingsChanged({ pushToTalk: true });
    expect(renderWithAppState(createElement(VoiceSettingsDialog, { onClose: noop }))).toMatch(/<input type="checkbox"[^>]*checked=""[^>]*\/>Push to talk/);
  });
});

describe('Settings: sounds and notifications', () => {
  it('has a Sounds checkbox, on by default, and a Message notifications checkbox, off by default', () => {
    const html = renderWithAppState(createElement(VoiceSettingsDialog, { onClose: noop }));
    expect(html).toMatch(/<input type="checkbox"[^>]*checked=""[^>]*\/>Sounds<\/label>/);
    expect(html).toMatch(/<label class="check"><input type="checkbox"(?:(?!checked)[^>])*\/>Message notifications<\/label>/);
  });
});

describe('the Mute button with push to talk', () => {
  it('is an ordinary toggle while push to talk is off', () => {
    const button = muteButton(renderWithAppState(createElement(VoiceControls)));
    expect(button).toContain('aria-pressed="false"');
    expect(button).not.toContain('aria-disabled');
  });

  it('shows the muted state but is unavailable, and says why, while push to talk is on', () => {
    const s = appStore.getState();
    s.voiceSettingsChanged({ pushToTalk: true });
    s.muteToggled();
    const button = muteButton(renderWithAppState(createElement(VoiceControls)));
    expect(button).toContain('aria-pressed="true"');
    expect(button).toContain('aria-disabled="true"');
    expect(button).toContain('title="Push to talk is on: hold Space to talk (turn it off in Settings)"');
  });
});

describe('Keyboard shortcuts', () => {
  it('is a dialog named Keyboard shortcuts listing M, D, ? and the push-to-talk key', () => {
    const html = renderWithAppState(createElement(KeyboardShortcutsDialog, { onClose: noop }));
    expect(dialogName(html)).toBe('Keyboard shortcuts');
    for (const key of ['M', 'D', '?', 'Space']) expect(html).toContain(`<kbd>${key}</kbd>`);
    expect(html).toContain('Mute or unmute');
    expect(html).toContain('Deafen or undeafen');
  });
});
