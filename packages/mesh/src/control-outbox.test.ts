import { describe, expect, it } from 'vitest';
import { FakeClock } from '../test-support/fake-clock';
import { FakeDataChannel } from '../test-support/fake-data-channel';
import { testLogger } from '../test-support/test-logger';
import { CONTROL_OUTBOX_LIMITS, ControlOutbox } from './control-outbox';

function setup() {
  const clock = new FakeClock(0);
  const logger = testLogger();
  const outbox = new ControlOutbox({ clock, logger, logFields: {} });
  const channel = new FakeDataChannel();
  outbox.attach(channel);
  const open = () => {
    channel.readyState = 'open';
    outbox.flush();
  };
  const warnings = () => logger.entries.filter((e) => e.level === 'warn').map((e) => e.message);
  return { clock, logger, outbox, channel, open, warnings };
}

describe('ControlOutbox', () => {
  it('sends at once on an open channel', () => {
    const { outbox, channel, open } = setup();
    open();
    outbox.send('a');
    expect(channel.sent).toEqual(['a']);
  });

  it('keeps what is sent while the channel is closed and delivers it in order when it opens', () => {
    const { outbox, channel, open } = setup();
    outbox.send('a');
    outbox.send('b');
    outbox.send('c');
    expect(channel.sent).toEqual([]);
    open();
    outbox.send('d');
    expect(channel.sent).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps the newest 100 and says it dropped the oldest', () => {
    const { outbox, channel, open, warnings } = setup();
    for (let i = 0; i < CONTROL_OUTBOX_LIMITS.maxMessages + 5; i++) outbox.send(`m${i}`);
    open();
    expect(channel.sent).toHaveLength(100);
    expect(channel.sent[0]).toBe('m5');
    expect(channel.sent.at(-1)).toBe('m104');
    expect(warnings().filter((w) => w.includes('dropped the oldest'))).toHaveLength(5);
  });

  it('drops what waited longer than 60 s, with a log line', () => {
    const { outbox, channel, open, clock, warnings } = setup();
    outbox.send('stale');
    clock.advance(30_000);
    outbox.send('recent');
    clock.advance(30_001);
    open();
    expect(channel.sent).toEqual(['recent']);
    expect(warnings()).toContain('dropped control messages too old to send');
  });

  it('stops writing above the high water mark and resumes when the buffer drains to the low one', () => {
    const { outbox, channel, open } = setup();
    expect(channel.bufferedAmountLowThreshold).toBe(CONTROL_OUTBOX_LIMITS.lowWaterMarkBytes);
    open();
    channel.fillPerSendBytes = CONTROL_OUTBOX_LIMITS.highWaterMarkBytes / 2;
    for (const frame of ['a', 'b', 'c', 'd']) outbox.send(frame);
    expect(channel.sent).toEqual(['a', 'b']);
    expect(outbox.queuedCount).toBe(2);
    channel.drain();
    expect(channel.sent).toEqual(['a', 'b', 'c', 'd']);
  });

  it('drops a time-critical frame rather than queue it', () => {
    const { outbox, channel, open } = setup();
    expect(outbox.sendIfWritable('ping')).toBe(false);
    outbox.send('voice');
    open();
    expect(outbox.sendIfWritable('ping')).toBe(true);
    expect(channel.sent).toEqual(['voice', 'ping']);
  });

  it('keeps its queue across channels: what the old one could not send, the next one does', () => {
    const { outbox, channel, open } = setup();
    open();
    channel.remoteClose();
    outbox.send('during the rebuild');
    outbox.detach(channel);
    const next = new FakeDataChannel();
    outbox.attach(next);
    next.readyState = 'open';
    outbox.flush();
    expect(next.sent).toEqual(['during the rebuild']);
  });
});
