import { describe, expect, it } from 'vitest';
import { invitationIn, inviteLink, takeInvitation } from './invite-link';

function fakeHistory() {
  const replaced: string[] = [];
  return { replaced, state: null, replaceState: (_state: unknown, _unused: string, url?: string | URL | null) => void replaced.push(String(url)) };
}

describe('invite links', () => {
  it('carry the token in the fragment, encoded', () => {
    expect(inviteLink('https://parley.example', 'friday', 'a+b/c=')).toBe('https://parley.example/r/friday#invite=a%2Bb%2Fc%3D');
  });

  it('are read back to the room and token they were made for', () => {
    const link = new URL(inviteLink('https://parley.example', 'friday', 'a+b/c='));
    expect(invitationIn(link)).toEqual({ roomId: 'friday', token: 'a+b/c=' });
  });

  it.each([
    ['the lobby', { pathname: '/', hash: '#invite=t' }],
    ['no fragment', { pathname: '/r/friday', hash: '' }],
    ['another fragment', { pathname: '/r/friday', hash: '#top' }],
    ['an empty token', { pathname: '/r/friday', hash: '#invite=' }],
  ])('find no invitation in %s', (_label, location) => {
    expect(invitationIn(location)).toBeUndefined();
  });

  it('are taken off the address bar once read, keeping the page where it is', () => {
    const history = fakeHistory();
    const invitation = takeInvitation({ pathname: '/r/friday', search: '?x=1', hash: '#invite=tok' }, history);
    expect(invitation).toEqual({ roomId: 'friday', token: 'tok' });
    expect(history.replaced).toEqual(['/r/friday?x=1']);
  });

  it('leave an address without an invite alone', () => {
    const history = fakeHistory();
    expect(takeInvitation({ pathname: '/r/friday', search: '', hash: '#top' }, history)).toBeUndefined();
    expect(history.replaced).toEqual([]);
  });
});
