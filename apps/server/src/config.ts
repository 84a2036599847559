import { fileURLToPath } from 'node:url';
import { IceTransportPolicy, type IceServer } from '@parley/protocol';
import { z } from 'zod';

/**
 * The server's configuration, read from the environment once (in main.ts) and
 * passed down. Nothing else reads process.env.
 */
export type Config = {
  port: number;
  host: string;
  logLevel: LogLevel;
  webDir: string;
  heartbeatIntervalMs: number;
  handshakeTimeoutMs: number;
  iceServers: IceServer[];
  iceTransportPolicy: IceTransportPolicy;
  /** More than `max` invalid frames within `windowMs` closes the socket (policy violation). */
  badFrames: { max: number; windowMs: number };
};

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** apps/web/dist, found from this file: src/config.ts and the bundled dist/main.js sit at the same depth. */
const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

const ICE_URL = /^(stun|stuns|turn|turns):[^\s,]+$/;

const Env = z.object({
  /** PORT: TCP port for HTTP and the /ws endpoint. 0 picks a free port. Default 8080. */
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** HOST: interface to listen on. Default 0.0.0.0 (all IPv4 interfaces). */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** LOG_LEVEL: pino level, one of fatal|error|warn|info|debug|trace|silent. Default info. SDP and ICE candidates are logged only at trace. */
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** PARLEY_WEB_DIR: directory holding the built web app (index.html + assets). Default apps/web/dist. */
  PARLEY_WEB_DIR: z.string().min(1).default(DEFAULT_WEB_DIR),
  /**
   * PARLEY_HEARTBEAT_MS: ping interval. A socket that has not answered the previous ping
   * when the next one is due is terminated, so a vanished client is dropped within two
   * intervals. Default 10000 (gone within 20 s). Range 100..15000 keeps that under 30 s.
   */
  PARLEY_HEARTBEAT_MS: z.coerce.number().int().min(100).max(15_000).default(10_000),
  /** PARLEY_HANDSHAKE_TIMEOUT_MS: time a new socket has to send session.hello. Default 10000. */
  PARLEY_HANDSHAKE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /**
   * PARLEY_ICE_SERVERS: comma-separated STUN/TURN URLs handed to clients in session.welcome,
   * e.g. `stun:stun.example.org:3478,turn:turn.example.org:3478`. Default: none (host candidates only).
   */
  PARLEY_ICE_SERVERS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((url) => url.trim())
        .filter((url) => url.length > 0),
    )
    .pipe(z.array(z.string().max(512).regex(ICE_URL, 'each URL must start with stun:, stuns:, turn: or turns:')).max(16)),
  /** PARLEY_ICE_TRANSPORT_POLICY: `all` (default) or `relay` (TURN only). */
  PARLEY_ICE_TRANSPORT_POLICY: IceTransportPolicy.default('all'),
});

export type ConfigResult = { ok: true; config: Config } | { ok: false; message: string };

/** Parse an environment. Empty strings count as unset. Never throws. */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): ConfigResult {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = Env.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
    return { ok: false, message: `Invalid configuration:\n${lines.join('\n')}` };
  }
  const parsed = result.data;
  return {
    ok: true,
    config: {
      port: parsed.PORT,
      host: parsed.HOST,
      logLevel: parsed.LOG_LEVEL,
      webDir: parsed.PARLEY_WEB_DIR,
      heartbeatIntervalMs: parsed.PARLEY_HEARTBEAT_MS,
      handshakeTimeoutMs: parsed.PARLEY_HANDSHAKE_TIMEOUT_MS,
      iceServers: parsed.PARLEY_ICE_SERVERS.map((urls) => ({ urls })),
      iceTransportPolicy: parsed.PARLEY_ICE_TRANSPORT_POLICY,
      badFrames: { max: 10, windowMs: 10_000 },
    },
  };
}
