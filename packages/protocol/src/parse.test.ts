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
    ['a C1 control', 'Ada\u0085x'],
    ['bidi override', 'Ada\u202e'],
    ['a right-to-left mark inside', 'A\u200fda'],
    ['an Arabic letter mark', 'Ada\u061cx'],
    ['a bidi isolate', '\u2067Ada'],
    ['a line separator inside', 'A\u2028da'],
    ['zero-width spaces only', '\u200b\u200b'],
    ['zero-width joiners and a word joiner only', '\u200d\u200c\u2060'],
    ['a byte-order mark and spaces', ' \ufeff \u200b '],
    ['Hangul fillers only', '\u3164\u115f\u1160\uffa0'],
    ['a braille blank', '\u2800'],
    ['invisible tag characters only', '\u{e0041}\u{e0064}'],
    ['a lone high surrogate', 'Ada\ud83d'],
    ['a lone low surrogate', '\ude00Ada'],
  ])('refuses a display name that is %s', (_why, displayName) => {
    const result = parseClientMessage(hello({ displayName }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('invalid_message');
      expect(result.type).toBe('session.hello');
    }
  });

  it.each([
    ['an emoji built with zero-width joiners', '\u{1f469}\u200d\u{1f4bb}'],
    ['a Persian name with a zero-width non-joiner', '\u0645\u06cc\u200c\u062e\u0648\u0627\u0645'],
    ['a name in Hebrew', '\u05e2\u05d3\u05d4'],
    ['an astral character', 'Ada \u{1f600}'],
  ])('accepts a display name with %s', (_why, displayName) => {
    expect(parseClientMessage(hello({ displayName }))).toMatchObject({ ok: true, value: { displayName } });
  });

  it('strips bidi controls from chat text, and refuses text that was nothing else', () => {
    const send = (text: string) => JSON.stringify({ type: 'chat.send', roomId: 'friday', clientId: 'client-0001', text });
    expect(parseClientMessage(send(' \u202eabc\u202c and \u2066x\u2069 \u200f'))).toMatchObject({
      ok: true,
      value: { type: 'chat.send', text: 'abc and x' },
    });
    const shalom = '\u05e9\u05dc\u05d5\u05dd';
    expect(parseClientMessage(send(`${shalom}\u200f!`))).toMatchObject({ ok: true, value: { text: `${shalom}!` } });
    expect(parseClientMessage(send(' \u202e \u200e '))).toMatchObject({ ok: false, code: 'invalid_message', type: 'chat.send' });
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

  it('takes the name a join names, trimmed, and refuses one a hello could not say', () => {
    const join = (displayName: string) => parseClientMessage(JSON.stringify({ type: 'room.join', roomId: 'abc', displayName }));
    expect(join('  Ada  ')).toEqual({ ok: true, value: { type: 'room.join', roomId: 'abc', displayName: 'Ada' } });
    expect(join('   ')).toMatchObject({ ok: false, code: 'invalid_message', type: 'room.join' });
    expect(join('x'.repeat(LIMITS.displayNameMaxChars + 1))).toMatchObject({ ok: false, code: 'invalid_message', type: 'room.join' });
  });

  it('explains a refused field in English, as the server tells its client', () => {
    expect(parseClientMessage('{"type":"room.join","roomId":5}')).toEqual({
      ok: false,
      code: 'invalid_message',
      message: 'roomId: Invalid input: expected string, received number',
      type: 'room.join',
    });
    expect(parseClientMessage(JSON.stringify({ type: 'session.ping', seq: 2 ** 31 + 1 }))).toMatchObject({
      message: 'seq: Too big: expected number to be <=2147483648',
    });
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

  it('reads a history page whose stored messages were sent under names the rules now refuse', () => {
    const message = { roomId: 'friday', seq: 1, clientId: 'client-0001', userId: 'u1', text: 'hi', sentAt: 0 };
    const page = (displayName: string) =>
      JSON.stringify({ type: 'chat.history', roomId: 'friday', messages: [{ ...message, displayName }], hasMore: false });
    expect(parseServerMessage(page('Ada\u200f')).ok).toBe(true);
    expect(parseServerMessage(page('\u3164')).ok).toBe(true);
    expect(parseServerMessage(page('x'.repeat(LIMITS.displayNameMaxChars + 1))).ok).toBe(false);
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
