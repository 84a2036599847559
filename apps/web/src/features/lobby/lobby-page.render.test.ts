import { createElement } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { appStore } from '../../app/store';
import { renderWithAppState, resetAppStore } from '../../app/testing/render-markup';
import type { JoinRefusal } from './join-refusal-slice';
import { LobbyPage } from './lobby-page';

const lobby = (initialRoom: string) => renderWithAppState(createElement(LobbyPage, { initialRoom }));
const refusedWith = (refusal: JoinRefusal) => appStore.getState().joinRefused(refusal);
const passwordField = /<label class="field__label" for="([^"]+)">Room password<\/label><input id="\1"[^>]*type="password"/;
const joinButton = /<button type="submit"[^>]*>.*Join<\/button>/;

beforeEach(resetAppStore);

describe('the join form after the server turned us away', () => {
  it('asks for the password of a room that needs one', () => {
    refusedWith({ roomId: 'friday', code: 'password_required' });
    const html = lobby('friday');
    expect(html).toMatch(/role="alert">.*This room needs a password/);
    expect(html).toMatch(passwordField);
    expect(html).toMatch(joinButton);
  });

  it('says the password was wrong and asks again', () => {
    refusedWith({ roomId: 'friday', code: 'wrong_password' });
    const html = lobby('friday');
    expect(html).toMatch(/role="alert">.*Wrong password for this room/);
    expect(html).toMatch(passwordField);
  });

  it('says when the password may be tried again', () => {
    refusedWith({ roomId: 'friday', code: 'rate_limited', retryAfterMs: 60_000 });
    const html = lobby('friday');
    expect(html).toContain('Too many wrong passwords; try again in 60 s.');
    expect(html).toMatch(passwordField);
  });

  it('offers the password when the invite link no longer works', () => {
    refusedWith({ roomId: 'friday', code: 'invite_invalid' });
    const html = lobby('friday');
    expect(html).toMatch(/role="alert">.*invite link is invalid or has expired/);
    expect(html).toMatch(passwordField);
  });

  it.each([
    ['room_locked', 'This room is locked: nobody new can join.'],
    ['removed', 'You were removed from the room by its owner.'],
  ] as const)('%s: says why, and a password would not help', (code, text) => {
    refusedWith({ roomId: 'friday', code });
    const html = lobby('friday');
    expect(html).toMatch(new RegExp(`role="alert">.*${text.replace('.', '\\.')}`));
    expect(html).not.toContain('Room password');
    expect(html).toMatch(joinButton);
  });

  it("keeps another room's refusal to itself", () => {
    refusedWith({ roomId: 'saturday', code: 'wrong_password' });
    const html = lobby('friday');
    expect(html).not.toContain('role="alert"');
    expect(html).not.toContain('Room password');
  });
});

describe('the lobby', () => {
  it('shows the open rooms on the front page only', () => {
    expect(lobby('')).toMatch(/<h2 id="[^"]+" class="open-rooms__title">Open rooms<\/h2>/);
    expect(lobby('friday')).not.toContain('Open rooms');
  });

  it('asks for no password before any refusal', () => {
    expect(lobby('friday')).not.toContain('Room password');
  });
});
