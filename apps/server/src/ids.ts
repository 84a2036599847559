import { randomBytes } from 'node:crypto';

/** Sources of identifiers, injected so tests could make them predictable. */
export type Ids = {
  /** A participant id: random, URL-safe. */
  userId(): string;
  /** A short id for one socket, for logs only. */
  connId(): string;
};

export const randomIds: Ids = {
  userId: () => randomBytes(12).toString('base64url'),
  connId: () => randomBytes(6).toString('base64url'),
};
