import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/test-server';

// Property: whatever a stranger sends (garbage, malformed messages, messages
// the protocol knows but refuses them: signals, chat, history, owner requests
// and wrong passwords for a room they are not in), the member of that room
// keeps being served and sees nothing change: her roster, her history, her
// room's settings. A few seconds of runs in CI.

const ROOM = 'fuzz-den';
const PASSWORD = 'correct horse battery';
const TYPES = [
  'session.hello', 'session.ping', 'room.join', 'room.leave', 'peer.signal', 'voice.state', 'chat.send', 'chat.history',
  'chat.typing', 'chat.clear', 'room.configure', 'room.invite', 'room.remove', 'room.mute',
];

let server: TestServer;
let ada: TestClient;

beforeAll(async () => {
  server = await startTestServer({ heartbeatIntervalMs: 3_600_000 });
  ada = await TestClient.connect(server.wsUrl, 'Ada');
  ada.send({ type: 'room.join', roomId: ROOM });
  await ada.next('room.joined');
  await ada.next('room.settings');
  await ada.next('room.ownerKey');
  ada.send({ type: 'room.configure', roomId: ROOM, password: PASSWORD });
  await ada.next('room.settings', (m) => m.passwordRequired);
});

afterAll(async () => {
  ada.close();
  await server.close();
});

/** Frames a stranger may send, all of which the server must refuse or ignore for Ada's room. */
function strangerFrames(adaId: string) {
  const validSignal = { kind: 'description', epoch: 1, description: { type: 'offer', sdp: 'v=0' } };
  const refused = fc.oneof(
    fc.constant({ type: 'peer.signal', to: adaId, signal: validSignal }),
    fc.string({ maxLength: 40 }).map((text) => ({ type: 'chat.send', roomId: ROOM, clientId: 'stranger-0001', text: `x${text}` })),
    fc.constant({ type: 'chat.history', roomId: ROOM }),
    fc.constant({ type: 'chat.clear', roomId: ROOM }),
    fc.boolean().map((locked) => ({ type: 'room.configure', roomId: ROOM, locked, password: null })),
    fc.constant({ type: 'room.invite', roomId: ROOM }),
    fc.constant({ type: 'room.remove', roomId: ROOM, userId: adaId }),
    fc.boolean().map((muted) => ({ type: 'room.mute', roomId: ROOM, userId: adaId, muted })),
    fc.string({ minLength: 1, maxLength: 30 }).filter((p) => p !== PASSWORD).map((password) => ({ type: 'room.join', roomId: ROOM, password })),
    fc.constant({ type: 'room.join', roomId: ROOM, invite: 'forged.token' }),
    fc.constant({ type: 'room.join', roomId: ROOM, ownerKey: 'k'.repeat(32) }),
  );
  const malformed = fc.oneof(
    fc.record({ type: fc.constantFrom(...TYPES) }, { requiredKeys: [] }).chain((base) =>
      fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }).map((extra) => ({ ...extra, ...base })),
    ),
    fc.jsonValue({ maxDepth: 4 }),
  );
  const raw = fc.oneof(fc.string({ maxLength: 200 }), fc.constant('{"type":"__proto__","__proto__":{"polluted":1}}'), fc.constant('['.repeat(500)));
  return fc.array(
    fc.oneof(
      refused.map((m) => JSON.stringify(m)),
      malformed.map((m) => JSON.stringify(m) ?? 'null'),
      raw,
    ),
    { minLength: 1, maxLength: 25 },
  );
}

it('a stranger’s frames, valid or not, never change a room they are not in, and its member stays served', async () => {
  await fc.assert(
    fc.asyncProperty(strangerFrames(ada.userId), async (frames) => {
      const eve = await TestClient.connect(server.wsUrl, 'Eve');
      try {
        for (const frame of frames) eve.sendRaw(frame);
        // Eve's frames are handled in order (a password check holds the ones behind it): her
        // last ping's pong, or her socket closing for abuse, says the server is done with them.
        eve.send({ type: 'session.ping', seq: 424242 });
        await Promise.race([eve.next('session.pong', (m) => m.seq === 424242), eve.next('error', (m) => m.inReplyTo === 'session.ping'), eve.closed]);
        // Ada is served, and hears of no change: a member, a message, a signal or a setting
        // would each reach her as a frame of its own.
        // (A WebSocket ping: Ada's own frame budget is not what this measures.)
        await ada.sync();
        expect(ada.unread().filter((m) => m.type !== 'ice.servers')).toEqual([]);
      } finally {
        eve.socket.terminate();
      }
    }),
    { numRuns: 40, interruptAfterTimeLimit: 8_000 },
  );
  expect(Object.prototype).not.toHaveProperty('polluted');
  // And her room, read back: only Ada, still hers, still locked by its password, no chat.
  ada.send({ type: 'room.join', roomId: ROOM });
  expect((await ada.next('room.joined')).participants.map((p) => p.displayName)).toEqual(['Ada']);
  expect(await ada.next('room.settings')).toMatchObject({ ownerId: ada.userId, passwordRequired: true, locked: false, silenced: [] });
  ada.send({ type: 'chat.history', roomId: ROOM, requestId: 1 });
  expect(await ada.next('chat.history')).toMatchObject({ messages: [] });
}, 30_000);
