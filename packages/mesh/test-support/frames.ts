import { type Participant, PROTOCOL_VERSION, type SessionWelcome } from '@parley/protocol';

/** A roster entry: online, unmuted, named after the id unless told otherwise. */
export const person = (userId: string, overrides: Partial<Participant> = {}): Participant => ({
  userId,
  displayName: userId.toUpperCase(),
  presence: 'online',
  muted: false,
  deafened: false,
  ...overrides,
});

/** A `session.welcome` for Ada (`ada`), a fresh session unless told otherwise. */
export const welcomeFrame = (overrides: Partial<SessionWelcome> = {}): SessionWelcome => ({
  type: 'session.welcome',
  protocolVersion: PROTOCOL_VERSION,
  userId: 'ada',
  resumeToken: 't',
  resumed: false,
  generation: 1,
  iceServers: [],
  iceTransportPolicy: 'all',
  heartbeatIntervalMs: 30_000,
  graceMs: 20_000,
  ...overrides,
});
