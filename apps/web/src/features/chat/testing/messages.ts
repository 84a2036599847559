import type { ChatMessage } from '@parley/protocol';

/** A stored message of room `lounge`; seq decides the default clientId and time. */
export function message(seq: number, overrides: Partial<ChatMessage> = {}): ChatMessage {
  return {
    roomId: 'lounge',
    seq,
    clientId: `client-${String(seq).padStart(4, '0')}`,
    userId: 'alice',
    displayName: 'Alice',
    text: `message ${seq}`,
    sentAt: 1_700_000_000_000 + seq * 1000,
    ...overrides,
  };
}
