import type { ChatMessage, ServerMessage } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { fakeEnvironment } from '../test-support/fake-environment';
import { welcomeFrame } from '../test-support/frames';
import { type ChatEvents, ChatChannel } from './chat-channel';
import { SessionClient } from './session-client';

const message = (seq: number, clientId = `client-${seq}-xyz`): ChatMessage => ({
  seq,
  roomId: 'friday',
  userId: 'bob',
  displayName: 'Bob',
  clientId,
  text: `hello ${seq}`,
  sentAt: 1_000 + seq,
});

function setup() {
  const fake = fakeEnvironment();
  const session = new SessionClient({ url: 'ws://test/ws', displayName: 'Ada', env: fake.env, reconnectPolicy: { nextRetryDelayInMs: () => 100 } });
  const chat = new ChatChannel(session, fake.logger);
  const heard: { [K in keyof ChatEvents]?: ChatEvents[K][] } = {};
  for (const name of ['readyChanged', 'historyReceived', 'historyFailed', 'messageRejected', 'messageAcked'] as const) {
    chat.on(name, (payload) => ((heard[name] ??= [] as never[]) as unknown[]).push(payload));
  }
  const server = (m: ServerMessage) => fake.socket().receive(m);
  const enter = (resumed = false) => {
    fake.socket().open();
    server(welcomeFrame({ resumed, ...(resumed ? { roomId: 'friday' } : {}) }));
    server({ type: 'room.joined', roomId: 'friday', selfId: 'ada', participants: [] });
  };
  return { ...fake, session, chat, heard, server, enter };
}

describe('ChatChannel', () => {
  it('is ready once the roster is current, not on the welcome alone, and again after every reconnect', () => {
    const t = setup();
    t.session.join('friday');
    expect(t.chat.send({ roomId: 'friday', clientId: 'c1', text: 'too early' })).toBe(false);
    t.enter();
    expect(t.heard.readyChanged).toEqual([{ roomId: 'friday', selfId: 'ada' }]);
    t.socket().drop();
    t.clock.advance(100);
    t.enter(true);
    expect(t.heard.readyChanged).toEqual([{ roomId: 'friday', selfId: 'ada' }, { roomId: undefined }, { roomId: 'friday', selfId: 'ada' }]);
    expect(t.chat.send({ roomId: 'friday', clientId: 'c1', text: 'now' })).toBe(true);
  });

  it('matches each history page to the request it answers by id, whatever the order', () => {
    const t = setup();
    t.session.join('friday');
    t.enter();
    const first = t.chat.requestHistory('friday', { afterSeq: 0 });
    const second = t.chat.requestHistory('friday', { beforeSeq: 10 });
    expect(first).not.toEqual(second);
    const sent = t.socket().sentMessages.filter((m) => m.type === 'chat.history');
    expect(sent.map((m) => m.type === 'chat.history' && m.requestId)).toEqual([first, second]);
    t.server({ type: 'chat.history', roomId: 'friday', messages: [message(9)], hasMore: true, requestId: second as number });
    t.server({ type: 'chat.history', roomId: 'friday', messages: [message(1)], hasMore: false, requestId: first as number });
    expect(t.heard.historyReceived?.map((p) => [p.requestId, p.messages[0]?.seq])).toEqual([
      [second, 9],
      [first, 1],
    ]);
  });

  it('says which history request failed, and which message was refused', () => {
    const t = setup();
    t.session.join('friday');
    t.enter();
    const id = t.chat.requestHistory('friday', {}) as number;
    t.server({ type: 'error', code: 'internal', message: 'ask again', inReplyTo: 'chat.history', ref: String(id) });
    t.server({ type: 'error', code: 'rate_limited', message: 'slow down', inReplyTo: 'chat.send', ref: 'c7', retryAfterMs: 500 });
    expect(t.heard.historyFailed).toEqual([{ requestId: id }]);
    expect(t.heard.messageRejected).toEqual([{ clientId: 'c7', code: 'rate_limited', message: 'slow down', retryAfterMs: 500 }]);
  });

  it('does not ask for history it cannot send', () => {
    const t = setup();
    expect(t.chat.requestHistory('friday', {})).toBeUndefined();
  });
});
