import { MeshError } from '@parley/mesh';
import type { Participant } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { selectVisibleErrors } from './selectors';
import { SessionMemory } from './stored-session';
import { fakeStream } from './testing/fake-engine';
import { fakeStorage } from './testing/fake-storage';
import { joinWithMic, setup, welcome } from './testing/voice-session-harness';

const OWNER_KEY = 'k3y-of-the-friday-room';
const ada: Participant = { userId: 'u1', displayName: 'Ada', presence: 'online', muted: false, deafened: false };

/** Ada pressed Join on the room's form (with `password` typed, if given) and the microphone opened. */
async function pressJoin(t: ReturnType<typeof setup>, password?: string, roomId = 'friday') {
  const joining = t.session.join(roomId, 'Ada', password === undefined ? {} : { password });
  const { stream, tracks } = fakeStream();
  t.requests.at(-1)?.resolve(stream);
  await joining;
  return { engine: t.engines.at(-1), tracks };
}

describe('VoiceSession: getting into a room that is not open to all', () => {
  it('keeps the owner key the server hands out and presents it on every later visit to that room', async () => {
    const first = setup();
    const engine = await joinWithMic(first);
    expect(engine?.access).toEqual({});
    engine?.emit('ownerKeyIssued', { roomId: 'friday', ownerKey: OWNER_KEY });
    first.session.leave();

    // Another tab, days later: same browser, fresh session storage.
    const later = setup(fakeStorage(), { local: first.local });
    expect((await joinWithMic(later))?.access).toEqual({ ownerKey: OWNER_KEY });
    expect((await pressJoin(later, undefined, 'saturday')).engine?.access).toEqual({});
  });

  it('a wrong password puts Ada back on the join form, microphone released, saying why', async () => {
    const t = setup();
    const { engine, tracks } = await pressJoin(t, 'open sesame');
    expect(engine?.access).toEqual({ password: 'open sesame' });

    engine?.emit('error', { error: MeshError.signalingRejected('wrong_password', 'wrong password for this room') });

    expect(t.store.getState()).toMatchObject({
      roomStatus: 'idle',
      mic: 'idle',
      connection: 'idle',
      joinRefusal: { roomId: 'friday', code: 'wrong_password' },
    });
    expect(tracks.map((track) => track.readyState)).toEqual(['ended']);
    expect(engine?.closed).toBe(true);
    // Still on the room's address, where the form asks again; no room-page banner as well.
    expect(t.paths).toEqual(['/r/friday']);
    expect(selectVisibleErrors(t.store.getState())).toEqual([]);

    const again = await pressJoin(t, 'sesame');
    expect(again.engine?.access).toEqual({ password: 'sesame' });
    expect(t.store.getState()).toMatchObject({ roomStatus: 'joining', joinRefusal: undefined });
  });

  it.each(['password_required', 'room_locked', 'invite_invalid', 'removed', 'room_full'] as const)('%s ends the visit on the join form', async (code) => {
    const t = setup();
    const { engine } = await pressJoin(t);
    engine?.emit('error', { error: MeshError.signalingRejected(code, 'no') });
    expect(t.store.getState()).toMatchObject({ roomStatus: 'idle', mic: 'idle', joinRefusal: { roomId: 'friday', code } });
  });

  it('takes too many wrong passwords as a refusal while joining, but a rate limit in the room as a passing error', async () => {
    const t = setup();
    const { engine } = await pressJoin(t, 'guess');
    engine?.emit('error', { error: MeshError.signalingRejected('rate_limited', 'slow down') });
    expect(t.store.getState()).toMatchObject({ roomStatus: 'idle', joinRefusal: { code: 'rate_limited' } });

    const inRoom = (await pressJoin(t)).engine;
    inRoom?.emit('roomJoined', { roomId: 'friday', selfId: 'u1', participants: [ada] });
    inRoom?.emit('error', { error: MeshError.signalingRejected('rate_limited', 'slow down') });
    expect(t.store.getState()).toMatchObject({ roomStatus: 'joined', joinRefusal: undefined });
    expect(selectVisibleErrors(t.store.getState()).map((e) => e.code)).toEqual(['rate_limited']);
  });

  it('joins with the invite the page was opened with, on every Join for that room, until the server calls it invalid', async () => {
    const t = setup(fakeStorage(), { invitation: { roomId: 'friday', token: 'signed.invite' } });
    const first = await pressJoin(t);
    expect(first.engine?.access).toEqual({ invite: 'signed.invite' });
    first.engine?.emit('error', { error: MeshError.signalingRejected('invite_invalid', 'expired') });
    expect(t.store.getState().joinRefusal).toMatchObject({ code: 'invite_invalid' });

    const second = await pressJoin(t, 'sesame');
    expect(second.engine?.access).toEqual({ password: 'sesame' });

    // The invite is for friday only.
    const other = setup(fakeStorage(), { invitation: { roomId: 'friday', token: 'signed.invite' } });
    expect((await pressJoin(other, undefined, 'saturday')).engine?.access).toEqual({});
  });

  it('after a reload, gets in again with what let it in: password, invite and owner key', async () => {
    const before = setup(fakeStorage(), { invitation: { roomId: 'friday', token: 'signed.invite' } });
    const { engine } = await pressJoin(before, 'sesame');
    engine?.emit('sessionStarted', welcome('u1', 'token-1'));
    engine?.emit('ownerKeyIssued', { roomId: 'friday', ownerKey: OWNER_KEY });
    expect(new SessionMemory(before.storage).loadFor('friday')).toMatchObject({ password: 'sesame', invite: 'signed.invite' });

    // The reload: no invite in the address any more; the tab's storage and the browser's remain.
    const after = setup(before.storage, { local: before.local });
    const rejoining = after.session.rejoin('friday');
    after.requests[0]?.resolve(fakeStream().stream);
    await rejoining;
    expect(after.engines[0]?.access).toEqual({ ownerKey: OWNER_KEY, invite: 'signed.invite', password: 'sesame' });
  });

  it('forgets the password when Ada leaves or is refused', async () => {
    const t = setup();
    const { engine } = await pressJoin(t, 'sesame');
    engine?.emit('sessionStarted', welcome('u1', 'token-1'));
    engine?.emit('error', { error: MeshError.signalingRejected('wrong_password', 'no') });
    expect(new SessionMemory(t.storage).load()).toBeUndefined();
  });
});

describe('VoiceSession when the owner removes us', () => {
  it('leaves the room as Leave does, stays on its address and says Ada was removed', async () => {
    const t = setup();
    const { engine, tracks } = await pressJoin(t);
    engine?.emit('sessionStarted', welcome('u1', 'token-1'));
    engine?.emit('roomJoined', { roomId: 'friday', selfId: 'u1', participants: [ada] });
    engine?.emit('roomSettingsChanged', { roomId: 'friday', ownerId: 'u9', passwordRequired: false, locked: false, listed: false, silenced: [] });

    engine?.emit('roomLeft', { roomId: 'friday' });
    engine?.emit('removedFromRoom', { roomId: 'friday' });

    expect(t.store.getState()).toMatchObject({
      roomStatus: 'idle',
      mic: 'idle',
      roomSettings: undefined,
      joinRefusal: { roomId: 'friday', code: 'removed' },
    });
    expect(tracks.map((track) => track.readyState)).toEqual(['ended']);
    expect(engine?.closed).toBe(true);
    expect(t.paths).toEqual(['/r/friday']);
    // A reload does not try to come back as the removed participant.
    expect(new SessionMemory(t.storage).load()).toBeUndefined();
  });
});

describe("VoiceSession: the owner's commands", () => {
  it('reach the server as the owner chose them', async () => {
    const t = setup();
    const engine = await joinWithMic(t);
    t.session.configureRoom({ password: 'sesame', listed: true });
    t.session.createInvite();
    t.session.muteForEveryone('u2', true);
    t.session.removeParticipant('u3');
    t.session.clearChat();
    expect(engine?.ownerWire).toEqual([
      { type: 'room.configure', roomId: 'friday', password: 'sesame', listed: true },
      { type: 'room.invite', roomId: 'friday' },
      { type: 'room.mute', roomId: 'friday', userId: 'u2', muted: true },
      { type: 'room.remove', roomId: 'friday', userId: 'u3' },
      { type: 'chat.clear', roomId: 'friday' },
    ]);
  });
});
