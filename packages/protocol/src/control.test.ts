import { describe, expect, it } from 'vitest';
import { CONTROL_FRAME_MAX_BYTES, encodeControlMessage, parseControlMessage } from './control';

describe('parseControlMessage', () => {
  it.each([
    { type: 'voice.state', muted: true, deafened: false },
    { type: 'ping', id: 3, sentAtMs: 1234.5 },
    { type: 'pong', id: 3, sentAtMs: 1234.5 },
  ] as const)('round-trips $type', (message) => {
    expect(parseControlMessage(encodeControlMessage(message))).toEqual({ ok: true, value: message });
  });

  it.each([
    ['binary data', new ArrayBuffer(4), 'invalid_message'],
    ['broken JSON', '{', 'bad_json'],
    ['an unknown type', '{"type":"kick"}', 'invalid_message'],
    ['a ping without id', '{"type":"ping","sentAtMs":1}', 'invalid_message'],
    ['an oversized frame', 'x'.repeat(CONTROL_FRAME_MAX_BYTES + 1), 'frame_too_large'],
  ])('refuses %s', (_why, frame, code) => {
    expect(parseControlMessage(frame)).toMatchObject({ ok: false, code });
  });
});
