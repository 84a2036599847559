import type { Participant } from '@parley/protocol';
import { createElement } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { appStore } from '../../app/store';
import { itemsWith, renderWithAppState, resetAppStore } from '../../app/testing/render-markup';
import { ParticipantList } from './participant-list';
import { RoomSettingsButton, RoomSettingsDialog } from './room-settings-dialog';
import { SilencedNotice } from './silenced-notice';

const person = (userId: string, displayName: string): Participant => ({ userId, displayName, presence: 'online', muted: false, deafened: false });
const ada = person('u1', 'Ada');
const grace = person('u2', 'Grace');
const linus = person('u3', 'Linus');

/** Friday with Ada (who runs it), Grace (muted for everyone by Ada) and Linus, as `selfId` sees it. */
function inFriday(selfId: string) {
  const s = appStore.getState();
  s.sessionStarted(selfId);
  s.roomJoining('friday');
  s.roomJoined({ roomId: 'friday', participants: [ada, grace, linus] });
  s.roomSettingsChanged({ roomId: 'friday', ownerId: 'u1', passwordRequired: true, locked: false, listed: true, silenced: ['u2'] });
}

const roster = () => renderWithAppState(createElement(ParticipantList));
const only = (items: string[]): string => {
  expect(items).toHaveLength(1);
  return items[0] ?? '';
};

beforeEach(resetAppStore);

describe('the roster, for the owner', () => {
  it('marks the owner, and gives the owner Remove and Mute for everyone on everyone else', () => {
    inFriday('u1');
    const html = roster();
    const adaItem = only(itemsWith(html, '>Ada<'));
    expect(adaItem).toContain('>owner<');
    expect(adaItem).not.toContain('aria-label="Remove');

    const graceItem = only(itemsWith(html, '>Grace<'));
    expect(graceItem).not.toContain('>owner<');
    expect(graceItem).toContain('muted by owner');
    expect(graceItem).toContain('aria-label="Remove Grace"');
    expect(graceItem).toContain('aria-label="Unmute Grace for everyone"');

    const linusItem = only(itemsWith(html, '>Linus<'));
    expect(linusItem).toContain('aria-label="Remove Linus"');
    expect(linusItem).toContain('aria-label="Mute Linus for everyone"');
    expect(linusItem).not.toContain('muted by owner');
  });

  it('has the Room settings button, opening a dialog named Room settings', () => {
    inFriday('u1');
    expect(renderWithAppState(createElement(RoomSettingsButton))).toMatch(/<button[^>]*aria-haspopup="dialog"[^>]*>.*Room settings<\/button>/);
    const dialog = renderWithAppState(createElement(RoomSettingsDialog, { onClose: () => {} }));
    const labelledBy = /<dialog[^>]*aria-labelledby="([^"]+)"/.exec(dialog)?.[1];
    expect(dialog).toContain(`<h2 id="${labelledBy}" class="settings__title">Room settings</h2>`);
  });
});

describe('the roster, for everyone else', () => {
  it('shows who runs the room and who is muted by the owner, but no way to act on it', () => {
    inFriday('u3');
    const html = roster();
    expect(only(itemsWith(html, '>Ada<'))).toContain('>owner<');
    expect(only(itemsWith(html, '>Grace<'))).toContain('muted by owner');
    expect(html).not.toContain('aria-label="Remove');
    expect(html).not.toMatch(/aria-label="(Un)?[mM]ute [^"]* for everyone"/);
    expect(renderWithAppState(createElement(RoomSettingsButton))).toBe('');
  });

  it('tells the one muted for everyone, and nobody else', () => {
    inFriday('u2');
    expect(renderWithAppState(createElement(SilencedNotice))).toMatch(/role="alert">The owner muted you for everyone/);
    resetAppStore();
    inFriday('u3');
    expect(renderWithAppState(createElement(SilencedNotice))).toBe('');
  });

  it('marks nobody as owner before the settings arrive', () => {
    const s = appStore.getState();
    s.sessionStarted('u1');
    s.roomJoining('friday');
    s.roomJoined({ roomId: 'friday', participants: [ada, grace] });
    expect(roster()).not.toContain('>owner<');
  });
});

describe('the roster, for listening', () => {
  it('gives everyone else a volume, a "Mute for me" and their connection in words, and yourself none', () => {
    inFriday('u3');
    const s = appStore.getState();
    s.linkChanged('u1', 'connected');
    s.linkQualityMeasured('u1', { grade: 'fair', roundTripMs: 340, lossPercent: 0, jitterMs: 5, path: 'relay' });
    s.linkChanged('u2', 'connecting');
    s.personalVolumeChanged('Ada', { volumePercent: 150 });
    const html = roster();

    const adaItem = only(itemsWith(html, '>Ada<'));
    expect(adaItem).toMatch(/<input type="range"[^>]*max="200"[^>]*aria-label="Volume for Ada"[^>]*value="150"/);
    expect(adaItem).toContain('aria-label="Mute Ada for me" aria-pressed="false"');
    expect(adaItem).toContain('aria-label="Connection to Ada: fair"');
    // The figures (340 ms, relay) wait behind a press of that button: e2e/tests/volume.spec.ts opens them.
    expect(adaItem).toContain('aria-expanded="false"');
    expect(adaItem).not.toContain('340 ms');

    expect(only(itemsWith(html, '>Grace<'))).toContain('aria-label="Connection to Grace: connecting"');
    const selfItem = only(itemsWith(html, '>Linus<'));
    expect(selfItem).not.toContain('Volume for');
    expect(selfItem).not.toContain('Connection to');
  });
});
