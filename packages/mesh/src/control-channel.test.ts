import type { VoiceState } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../test-support/fake-clock';
import { FakeDataChannel } from '../test-support/fake-data-channel';
import { testLogger } from '../test-support/test-logger';
import { ControlChannel } from './control-channel';

function setup() {
  const clock = new FakeClock(1000);
  const channel = new FakeDataChannel();
  const remoteStates: VoiceState[] = [];
  const rtts: number[] = [];
  const control = new ControlChannel({
    channel,
    clock,
    logger: testLogger(),
    logFields: {},
    voiceState: () => ({ muted: true, deafened: false }),
    handlers: { remoteVoiceState: (state) => remoteStates.push(state), rttMeasured: (rttMs) => rtts.push(rttMs) },
  });
  return { clock, channel, control, remoteStates, rtts };
}

describe('ControlChannel', () => {
  it('tells the peer our voice state and pings as soon as it opens', () => {
    const { channel } = setup();
    expect(channel.sent).toEqual([]);
    channel.open();
    expect(channel.sentMessages).toEqual([
      { type: 'voice.state', muted: true, deafened: false },
      { type: 'ping', id: 0, sentAtMs: 1000 },
    ]);
  });

  it('pings once, when it opens, and never again while it stays open', () => {
    const { channel, clock } = setup();
    channel.open();
    clock.advance(60_000);
    const pings = () => channel.sentMessages.filter((m) => (m as { type: string }).type === 'ping');
    expect(pings()).toEqual([{ type: 'ping', id: 0, sentAtMs: 1000 }]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('answers a ping with a pong echoing its id and time', () => {
    const { channel } = setup();
    channel.open();
    channel.peerSends({ type: 'ping', id: 7, sentAtMs: 42 });
    expect(channel.sentMessages.at(-1)).toEqual({ type: 'pong', id: 7, sentAtMs: 42 });
  });

  it('measures the round trip from a pong', () => {
    const { channel, clock, rtts } = setup();
    channel.open();
    clock.advance(35);
    channel.peerSends({ type: 'pong', id: 0, sentAtMs: 1000 });
    expect(rtts).toEqual([35]);
  });

  it('reports the peer voice state and ignores garbage', () => {
    const { channel, remoteStates } = setup();
    channel.open();
    channel.peerSends('{not json');
    channel.peerSends({ type: 'voice.state', muted: 'yes' });
    channel.peerSends({ type: 'voice.state', muted: false, deafened: true });
    expect(remoteStates).toEqual([{ muted: false, deafened: true }]);
  });

  it('sends nothing and reports nothing once closed', () => {
    const { channel, control, clock, remoteStates } = setup();
    channel.open();
    control.close();
    const sent = channel.sent.length;
    control.sendVoiceState({ muted: false, deafened: false });
    channel.peerSends({ type: 'voice.state', muted: false, deafened: true });
    clock.advance(10_000);
    expect(channel.sent).toHaveLength(sent);
    expect(remoteStates).toEqual([]);
  });
});
