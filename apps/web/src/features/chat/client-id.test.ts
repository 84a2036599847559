import { webcrypto } from 'node:crypto';
import { ChatClientId } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { randomClientId } from './client-id';

describe('randomClientId', () => {
  it('makes ids the server accepts, different every time', () => {
    const ids = Array.from({ length: 200 }, () => randomClientId(webcrypto));
    for (const id of ids) expect(ChatClientId.safeParse(id).success).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
