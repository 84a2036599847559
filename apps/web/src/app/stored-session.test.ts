import { describe, expect, it } from 'vitest';
import { SessionMemory } from './stored-session';
import { fakeStorage } from './testing/fake-storage';

const ada = { roomId: 'friday', displayName: 'Ada', resumeToken: 'token-1' };

describe('SessionMemory', () => {
  it('remembers who you are in which room across a reload', () => {
    const storage = fakeStorage();
    new SessionMemory(storage).save(ada);
    const afterReload = new SessionMemory(storage);
    expect(afterReload.load()).toEqual(ada);
    expect(afterReload.loadFor('friday')).toEqual(ada);
  });

  it('keeps what let this tab into the room, for a reload after the server let go of it', () => {
    const storage = fakeStorage();
    new SessionMemory(storage).save({ ...ada, password: 'open sesame', invite: 'signed.invite' });
    expect(new SessionMemory(storage).loadFor('friday')).toEqual({ ...ada, password: 'open sesame', invite: 'signed.invite' });
  });

  it('does not rejoin a different room with it', () => {
    const memory = new SessionMemory(fakeStorage());
    memory.save(ada);
    expect(memory.loadFor('saturday')).toBeUndefined();
  });

  it('keeps only the latest resume token', () => {
    const memory = new SessionMemory(fakeStorage());
    memory.save(ada);
    memory.save({ ...ada, resumeToken: 'token-2' });
    expect(memory.load()?.resumeToken).toBe('token-2');
  });

  it('forgets the session when you leave', () => {
    const memory = new SessionMemory(fakeStorage());
    memory.save(ada);
    memory.clear();
    expect(memory.load()).toBeUndefined();
  });

  it.each([
    ['not JSON', '{oops'],
    ['a bad room id', JSON.stringify({ ...ada, roomId: 'Not A Room!' })],
    ['no token', JSON.stringify({ ...ada, resumeToken: '' })],
    ['an empty name', JSON.stringify({ ...ada, displayName: ' ' })],
    ['null', 'null'],
  ])('treats %s as no session', (_label, text) => {
    const storage = fakeStorage();
    storage.items.set('parley.session', text);
    expect(new SessionMemory(storage).load()).toBeUndefined();
  });

  it('works without storage at all, remembering nothing', () => {
    for (const memory of [new SessionMemory(undefined), new SessionMemory(fakeStorage({ broken: true }))]) {
      expect(() => memory.save(ada)).not.toThrow();
      expect(memory.load()).toBeUndefined();
      expect(() => memory.clear()).not.toThrow();
    }
  });
});
