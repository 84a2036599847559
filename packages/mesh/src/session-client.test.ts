import type { RoomId, ServerMessage } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { fakeEnvironment } from '../test-support/fake-environment';
import { person, welcomeFrame } from '../test-support/frames';
import { type SessionEvents, SessionClient } from './session-client';

function setup() {
  const fake = fakeEnvironment();
  const session = new SessionClient({ url: 'ws://test/ws', displayName: 'Ada', env: fake.env, reconnectPolicy: { nextRetryDelayInMs: () => 100 } });
  const events: (keyof SessionEvents)[] = [];
  for (const name of ['roomJoined', 'roomLeft', 'peerJoined', 'peerLeft', 'peerReturned', 'sessionStarted'] as const) session.on(name, () => events.push(name));
  const server = (message: ServerMessage) => fake.socket().receive(message);
  const welcome = (fields: { userId?: string; resumed?: boolean; roomId?: RoomId } = {}) => {
    fake.socket().open();
    server(welcomeFrame({ ...fields, graceMs: 5_000 }));
  };
  const sent = () => fake.socket().sentMessages.map((m) => m.type);
  return { ...fake, session, events, server, welcome, sent };
}

/** Ada and Bob in friday, then the socket drops and a new one opens. */
function inRoomThenReconnect() {
  const t = setup();
  t.session.join('friday');
  t.welcome();
  t.server({ type: 'room.joined', roomId: 'friday', selfId: 'ada', participants: [person('ada'), person('bob')] });
  t.socket().drop();
  t.clock.advance(100);
  t.events.length = 0;
  return t;
}

describe('SessionClient resync after a welcome', () => {
  it.each([
    {
      case: 'resumed in our room',
      welcome: { resumed: true, roomId: 'friday' },
      sends: ['session.hello', 'voice.state'],
      events: ['sessionStarted'],
    },
    {
      case: 'resumed, but the server has us in no room (it restarted)',
      welcome: { resumed: true },
      sends: ['session.hello', 'room.join'],
      events: ['sessionStarted'],
    },
    {
      case: 'not resumed, same id (a fresh server that kept nothing)',
      welcome: { resumed: false },
      sends: ['session.hello', 'room.join'],
      events: ['sessionStarted'],
    },
    {
      case: 'a different identity (the token was refused)',
      welcome: { userId: 'ada2', resumed: false },
      sends: ['session.hello', 'room.join'],
      events: ['sessionStarted', 'roomLeft'],
    },
  ] as const)('$case: sends $sends', ({ welcome: fields, sends, events }) => {
    const t = inRoomThenReconnect();
    t.welcome(fields);
    expect(t.sent()).toEqual(sends);
    expect(t.events).toEqual(events);
  });

  it('after a server restart, keeps someone missing from the new roster as reconnecting for the announced grace, then lets them go', () => {
    const t = inRoomThenReconnect();
    t.welcome({ resumed: false });
    t.server({ type: 'room.joined', roomId: 'friday', selfId: 'ada', participants: [person('ada')] });
    expect(t.session.participant('bob')?.presence).toBe('reconnecting');
    expect(t.session.readyRoomId).toBe('friday');
    expect(t.session.canSignalTo('bob')).toBe(false);
    t.clock.advance(4_999);
    expect(t.events).not.toContain('peerLeft');
    t.clock.advance(1);
    expect(t.events).toContain('peerLeft');
    expect(t.session.participant('bob')).toBeUndefined();
  });

  it('someone missing who comes back is updated in place and their link told to renegotiate', () => {
    const t = inRoomThenReconnect();
    t.welcome({ resumed: false });
    t.server({ type: 'room.joined', roomId: 'friday', selfId: 'ada', participants: [person('ada')] });
    t.server({ type: 'peer.joined', participant: person('bob') });
    expect(t.events).toEqual(['sessionStarted', 'roomJoined', 'peerReturned']);
    expect(t.session.canSignalTo('bob')).toBe(true);
    t.clock.advance(10_000);
    expect(t.events).not.toContain('peerLeft');
  });

  it('is ready for the room only while connected with a current roster', () => {
    const t = setup();
    t.session.join('friday');
    expect(t.session.readyRoomId).toBeUndefined();
    t.welcome();
    expect(t.session.readyRoomId).toBeUndefined();
    t.server({ type: 'room.joined', roomId: 'friday', selfId: 'ada', participants: [person('ada')] });
    expect(t.session.readyRoomId).toBe('friday');
    t.socket().drop();
    expect(t.session.readyRoomId).toBeUndefined();
    t.clock.advance(100);
    t.welcome({ resumed: true, roomId: 'friday' });
    expect(t.session.readyRoomId).toBeUndefined();
    t.server({ type: 'room.joined', roomId: 'friday', selfId: 'ada', participants: [person('ada')] });
    expect(t.session.readyRoomId).toBe('friday');
  });
});
