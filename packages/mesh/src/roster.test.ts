import type { Participant } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { mergeRoster } from './roster';

const p = (userId: string, overrides: Partial<Participant> = {}): Participant => ({
  userId,
  displayName: userId,
  presence: 'online',
  muted: false,
  deafened: false,
  ...overrides,
});
const known = (...people: Participant[]) => new Map(people.map((x) => [x.userId, x]));
const voice = { muted: true, deafened: false };

describe('mergeRoster', () => {
  it('keeps everyone still there, takes their fresh state, and adds newcomers', () => {
    const merge = mergeRoster({
      known: known(p('me'), p('bob'), p('cy')),
      roster: [p('dee'), p('cy', { muted: true }), p('me'), p('bob')],
      selfId: 'me',
      selfVoice: { muted: false, deafened: false },
      keepMissing: false,
    });
    expect([...merge.participants.keys()]).toEqual(['me', 'bob', 'cy', 'dee']);
    expect(merge.participants.get('cy')?.muted).toBe(true);
    expect(merge).toMatchObject({ gone: [], missing: [] });
  });

  it('drops people missing from a resumed roster', () => {
    const merge = mergeRoster({ known: known(p('me'), p('bob')), roster: [p('me')], selfId: 'me', selfVoice: voice, keepMissing: false });
    expect(merge).toMatchObject({ gone: ['bob'], missing: [] });
    expect([...merge.participants.keys()]).toEqual(['me']);
  });

  it('after a server restart keeps people missing as reconnecting', () => {
    const merge = mergeRoster({ known: known(p('me'), p('bob')), roster: [p('me')], selfId: 'me', selfVoice: voice, keepMissing: true });
    expect(merge).toMatchObject({ gone: [], missing: ['bob'] });
    expect(merge.participants.get('bob')?.presence).toBe('reconnecting');
  });

  it('shows our own voice state, not the server copy, and never lists anyone twice', () => {
    const merge = mergeRoster({
      known: known(p('me')),
      roster: [p('me'), p('bob'), p('bob', { muted: true })],
      selfId: 'me',
      selfVoice: voice,
      keepMissing: false,
    });
    expect([...merge.participants.values()].map((x) => x.userId)).toEqual(['me', 'bob']);
    expect(merge.participants.get('me')).toMatchObject(voice);
  });
});
