import { describe, expect, it } from 'vitest';
import { LIMITS, PROTOCOL_VERSION } from './limits';
import { parseClientMessage, parseServerMessage, utf8Length } from './parse';

const hello = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'session.hello', protocolVersion: PROTOCOL_VERSION, displayName: 'Ada', ...extra });

describe('parseClientMessage', () => {
  it('accepts a hello and trims the display name', () => {
    const result = parseClientMessage(hello({ displayName: '  Ada  ' }));
    expect(result).toEqual({
      ok: true,
      value: { type: 'session.hello', protocolVersion: PROTOCOL_VERSION, displayName: 'Ada' },
    });
  });

  it.each([
    ['empty', '   '],
    ['too long', 'x'.repeat(LIMITS.displayNameMaxChars + 1)],
    ['control characters', 'Ada\u0000'],
    ['bidi override', 'Ada\u202e'],
  ])('refuses a display name that is %s', (_why, displayName) => {
    const result = parseClientMessage(hello({ displayName }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('invalid_message');
      expect(result.type).toBe('session.hello');
    }
  });

  it('accepts exactly 32 characters after trimming', () => {
    expect(parseClientMessage(hello({ displayName: ` ${'x'.repeat(32)} ` })).ok).toBe(true);
  });

  it.each(['not json', '{', '', '\u0000'])('answers bad_json for %j', (frame) => {
    expect(parseClientMessage(frame)).toMatchObject({ ok: false, code: 'bad_json' });
  });

  it.each([
    ['null', 'null'],
    ['an array', '[]'],
    ['a number', '42'],
    ['no type', '{"roomId":"abc"}'],
    ['an unknown type', '{"type":"room.nuke"}'],
    ['a server-only type', '{"type":"room.joined","roomId":"a","selfId":"u","participants":[]}'],
    ['a bad room id', '{"type":"room.join","roomId":"Has Spaces"}'],
    ['a room id with a trailing dash', '{"type":"room.join","roomId":"abc-"}'],
    ['a signal without a target', '{"type":"peer.signal","signal":{"kind":"candidate","epoch":0,"candidate":{"candidate":""}}}'],
    ['a signal of unknown kind', '{"type":"peer.signal","to":"u1","signal":{"kind":"magic","epoch":0}}'],
    ['a non-boolean mute', '{"type":"voice.state","muted":"yes","deafened":false}'],
  ])('answers invalid_message for %s', (_why, frame) => {
    const result = parseClientMessage(frame);
    expect(result).toMatchObject({ ok: false, code: 'invalid_message' });
  });

  it('strips unknown fields rather than passing them on', () => {
    const result = parseClientMessage('{"type":"room.leave","from":"someone-else"}');
    expect(result).toEqual({ ok: true, value: { type: 'room.leave' } });
  });

  it('drops a __proto__ key instead of polluting the parsed object', () => {
    const result = parseClientMessage('{"type":"room.leave","__proto__":{"admin":true}}');
    expect(result).toEqual({ ok: true, value: { type: 'room.leave' } });
    expect(result.ok && (result.value as Record<string, unknown>).admin).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('never lets a client choose the sender of a signal', () => {
    const result = parseClientMessage(
      JSON.stringify({
        type: 'peer.signal',
        to: 'u2',
        from: 'u3',
        signal: { kind: 'description', epoch: 1, description: { type: 'offer', sdp: 'v=0' } },
      }),
    );
    expect(result.ok && 'from' in result.value).toBe(false);
  });

  it('refuses frames over the size limit before parsing them', () => {
    const frame = JSON.stringify({ type: 'room.leave', pad: 'x'.repeat(LIMITS.maxFrameBytes) });
    expect(parseClientMessage(frame)).toMatchObject({ ok: false, code: 'frame_too_large' });
  });

  it('refuses an SDP larger than the limit', () => {
    const frame = JSON.stringify({
      type: 'peer.signal',
      to: 'u2',
      signal: { kind: 'description', epoch: 0, description: { type: 'offer', sdp: 'x'.repeat(LIMITS.sdpMaxChars + 1) } },
    });
    expect(parseClientMessage(frame)).toMatchObject({ ok: false, code: 'invalid_message' });
  });
});

describe('parseServerMessage', () => {
  it('accepts a roster', () => {
    const frame = JSON.stringify({
      type: 'room.joined',
      roomId: 'friday',
      selfId: 'u1',
      participants: [{ userId: 'u1', displayName: 'Ada', presence: 'online', muted: false, deafened: false }],
    });
    expect(parseServerMessage(frame).ok).toBe(true);
  });

  it('refuses an error with an unknown code', () => {
    expect(parseServerMessage('{"type":"error","code":"teapot","message":"x"}')).toMatchObject({
      ok: false,
      code: 'invalid_message',
    });
  });
});

describe('utf8Length', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
  ])('%j is %i bytes', (text, bytes) => {
    expect(utf8Length(text)).toBe(bytes);
  });
});
