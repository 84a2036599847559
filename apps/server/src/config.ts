import { fileURLToPath } from 'node:url';
import { IceTransportPolicy } from '@parley/protocol';
import { z } from 'zod';
import { FRAME_BUDGETS, type FrameBudgets } from './transport/frame-budget';
import { isAddressOrRange, type TrustProxy } from './http/client-address';

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
  /** STUN/TURN URLs handed to clients; TURN ones get credentials when `turnSecret` is set. */
  iceUrls: string[];
  iceTransportPolicy: IceTransportPolicy;
  /** Where the server keeps its state (the secret, parley.db). Absolute or relative to the process cwd. */
  dataDir: string;
  /** PARLEY_SECRET, when given; otherwise main.ts loads or creates `<dataDir>/secret`. */
  secret: string | undefined;
  /** PARLEY_DATABASE_URL: chat and room settings on this PostgreSQL, shared by every node; undefined: SQLite in dataDir. */
  databaseUrl: string | undefined;
  /** PARLEY_REDIS_URL: rooms and rate-limit budgets shared with the other nodes on this Redis; undefined: this process alone. */
  redisUrl: string | undefined;
  /** How long a participant whose socket dropped stays in the roster as 'reconnecting'. */
  graceMs: number;
  /** How long a resume token stays valid after it was issued. */
  resumeTtlS: number;
  /** How long after an identity was created it may still be resumed, however often its token was renewed. */
  resumeMaxAgeS: number;
  inviteTtlS: number;
  /** coturn's static-auth-secret; when set, TURN URLs get time-limited credentials. */
  turnSecret: string | undefined;
  /** Lifetime of TURN credentials; they are refreshed over the socket before they expire. */
  turnTtlS: number;
  /** More than `max` invalid frames within `windowMs` closes the socket (policy violation). */
  badFrames: { max: number; windowMs: number };
  /** Frames of each type one socket may send (transport/frame-budget.ts); not from the environment. */
  frameBudgets: FrameBudgets;
  /** Per-user chat.send limit: a token bucket refilled at `perS` a second, holding at most `burst`. */
  chatRate: { perS: number; burst: number };
  /** Chat limits that a new identity does not reset: per address (a household shares one) and per room. */
  chatAddressRate: { perS: number; burst: number };
  chatRoomRate: { perS: number; burst: number };
  /** Chat messages older than this many days are deleted. */
  chatRetentionDays: number;
  /** PARLEY_METRICS_TOKEN: when set, /metrics wants `Authorization: Bearer <it>`; when not, /metrics is 404. */
  metricsToken: string | undefined;
  /** Origins (`scheme://host[:port]`) whose pages may open the WebSocket besides the page's own. */
  allowedOrigins: string[];
  /** Proxies whose X-Forwarded-For entries are believed: a number of hops (0: none) or their addresses and CIDR ranges. */
  trustProxy: TrustProxy;
  /** Open WebSockets one client address (an IPv6 /64) may hold at once. */
  maxSocketsPerAddress: number;
  /** WebSocket handshakes one client address may start per minute. */
  maxHandshakesPerMin: number;
  /** New rooms one client address may create per minute (and at once). */
  maxRoomsPerMin: number;
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
  /**
   * PARLEY_HANDSHAKE_TIMEOUT_MS: time a new socket has to send session.hello. Default 30000. A
   * page writes its hello as the socket opens, but a starved browser hands it over late: in a
   * call of six on two busy cores (tcpdump on the server's port) hellos came 6.6-9.95 s after
   * the upgrade, the latest 50 ms inside the old 10 s. socket.io gives a client 45 s to join.
   * What a silent socket can hold is bounded by PARLEY_MAX_SOCKETS_PER_ADDRESS, not by this.
   */
  PARLEY_HANDSHAKE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(30_000),
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
  PARLEY_ICE_TRANSPORT_POLICY: z.enum(IceTransportPolicy.options).default('all'),
  /**
   * PARLEY_DATA_DIR: directory for the server's state: the generated secret and the database
   * `parley.db` of chat and room settings (SQLite, WAL: keep parley.db-wal and parley.db-shm beside
   * it). Relative to the process cwd; created if missing. Default ./data.
   */
  PARLEY_DATA_DIR: z.string().min(1).default('./data'),
  /**
   * PARLEY_SECRET: key that signs resume tokens (at least 16 characters). Default: 32 random bytes
   * generated on first start and kept in `<PARLEY_DATA_DIR>/secret` (mode 0600). Every server that
   * should accept the others' tokens (restarts, several nodes) needs the same secret.
   */
  PARLEY_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * PARLEY_DATABASE_URL: a PostgreSQL connection string (postgres://user:password@host:port/db).
   * When set, chat and room settings are stored there, shared by every node that names the same
   * database, and the schema is migrated at start (rooms kept in parley.db before are moved there).
   * Unset (the default): both are in `<PARLEY_DATA_DIR>/parley.db` (SQLite).
   */
  /**
   * PARLEY_REDIS_URL: a Redis (redis://host:6379, rediss:// for TLS) that every node of a cluster
   * names. Rooms, rosters and signals are shared through one stream on it, so people connected to
   * different nodes are in one room, and the budgets of chat, joins and owners' requests are counted
   * on it, so they hold across nodes. Unset (the default): this process alone, in memory.
   */
  PARLEY_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
    .optional(),
  PARLEY_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// connection string')
    .optional(),
  /** PARLEY_GRACE_MS: how long a participant whose socket dropped stays in the room as 'reconnecting'. Default 20000. */
  PARLEY_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(20_000),
  /** PARLEY_RESUME_TTL_S: how long a resume token is valid after it was issued. Default 86400 (one day). */
  PARLEY_RESUME_TTL_S: z.coerce.number().int().min(60).max(30 * 86_400).default(86_400),
  /**
   * PARLEY_RESUME_MAX_AGE_S: how long after an identity was first created it may still be resumed,
   * however often its token was renewed; past it the holder starts a fresh session (a new user id).
   * Default 604800 (seven days).
   */
  PARLEY_RESUME_MAX_AGE_S: z.coerce.number().int().min(60).max(365 * 86_400).default(7 * 86_400),
  /** PARLEY_INVITE_TTL_S: how long an invite link admits its holder after the owner made it. Default 604800 (seven days). */
  PARLEY_INVITE_TTL_S: z.coerce.number().int().min(60).max(365 * 86_400).default(7 * 86_400),
  /**
   * PARLEY_TURN_SECRET: coturn's `static-auth-secret`. When set, every turn:/turns: URL of
   * PARLEY_ICE_SERVERS is handed out with time-limited credentials (coturn REST API scheme).
   * Default: none (TURN URLs are handed out without credentials).
   */
  PARLEY_TURN_SECRET: z.string().min(1).optional(),
  /** PARLEY_TURN_TTL_S: lifetime of TURN credentials; the server sends fresh ones at 80% of it. Default 3600. */
  PARLEY_TURN_TTL_S: z.coerce.number().int().min(60).max(7 * 86_400).default(3_600),
  /**
   * PARLEY_CHAT_RATE_PER_S: chat messages per second one user may send, sustained (decimals allowed).
   * Beyond it chat.send is answered with `rate_limited` and `retryAfterMs`. Default 5.
   */
  PARLEY_CHAT_RATE_PER_S: z.coerce.number().positive().max(1_000).default(5),
  /** PARLEY_CHAT_BURST: chat messages one user may send at once after a quiet spell. Default 10. */
  PARLEY_CHAT_BURST: z.coerce.number().int().min(1).max(10_000).default(10),
  /**
   * PARLEY_CHAT_ADDRESS_RATE_PER_S, PARLEY_CHAT_ADDRESS_BURST: chat messages per second (and at
   * once) from one client address, whatever identities it uses: a household shares one. 15 and 30.
   */
  PARLEY_CHAT_ADDRESS_RATE_PER_S: z.coerce.number().positive().max(10_000).default(15),
  PARLEY_CHAT_ADDRESS_BURST: z.coerce.number().int().min(1).max(100_000).default(30),
  /** PARLEY_CHAT_ROOM_RATE_PER_S, PARLEY_CHAT_ROOM_BURST: chat messages per second (and at once) into one room, from everyone. 30 and 60. */
  PARLEY_CHAT_ROOM_RATE_PER_S: z.coerce.number().positive().max(10_000).default(30),
  PARLEY_CHAT_ROOM_BURST: z.coerce.number().int().min(1).max(100_000).default(60),
  /**
   * PARLEY_CHAT_RETENTION_DAYS: chat messages older than this many days (whole days, 1..3650) are
   * deleted from parley.db; a room's message numbering carries on regardless. Default 30.
   */
  PARLEY_CHAT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(30),
  /**
   * PARLEY_METRICS_TOKEN: when set (16+ characters), GET /metrics answers only a request carrying
   * `Authorization: Bearer <token>` (401 otherwise). Default: none, and /metrics answers 404.
   */
  PARLEY_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * PARLEY_ALLOWED_ORIGINS: comma-separated origins (`https://parley.example`) whose pages may open
   * the WebSocket, besides the page's own (an http(s) Origin whose host is the request's Host). A
   * browser's upgrade from any other Origin is refused with 403; one without Origin (the headless
   * bot, scripts) is let through. Behind a proxy that rewrites Host, list the public origin here.
   * Default: none.
   */
  PARLEY_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin.length > 0),
    )
    .pipe(z.array(z.string().refine(isOrigin, 'each must be an origin like https://parley.example (no path)').transform((origin) => new URL(origin).origin)).max(64)),
  /**
   * PARLEY_TRUST_PROXY: the proxies in front of the server whose X-Forwarded-For entries are
   * believed, for the client address that per-address limits count (and Express's req.ip).
   * Either a number of hops: `1` trusts one proxy, and the client is the last entry it appended;
   * or comma-separated addresses and CIDR ranges of the proxies (`127.0.0.1,10.0.0.0/8`). Not
   * `true`: that would believe entries the client wrote itself. Default 0: no proxy, the TCP peer
   * is the client.
   */
  PARLEY_TRUST_PROXY: z
    .string()
    .default('0')
    .transform((value, ctx): TrustProxy => {
      if (/^\d{1,2}$/.test(value.trim())) return Number(value);
      const entries = value
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry.length > 0);
      if (entries.length > 0 && entries.length <= 64 && entries.every(isAddressOrRange)) return entries;
      ctx.addIssue({ code: 'custom', message: 'must be a number of proxy hops, or comma-separated proxy addresses and CIDR ranges' });
      return z.NEVER;
    }),
  /**
   * PARLEY_MAX_SOCKETS_PER_ADDRESS: WebSockets one client address (IPv4, or an IPv6 /64) may hold
   * open at once; one more is refused with 429 before the upgrade. A household behind one NAT shares
   * it. Default 20.
   */
  PARLEY_MAX_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(20),
  /**
   * PARLEY_MAX_HANDSHAKES_PER_MIN: WebSocket handshakes one client address may start per minute,
   * sustained, and at once after a quiet minute; beyond it 429 with Retry-After. Default 60.
   */
  PARLEY_MAX_HANDSHAKES_PER_MIN: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /**
   * PARLEY_MAX_ROOMS_PER_MIN: new rooms one client address may create per minute, sustained, and
   * at once after a quiet minute; beyond it the join is answered rate_limited. Default 30.
   */
  PARLEY_MAX_ROOMS_PER_MIN: z.coerce.number().int().min(1).max(1_000_000).default(30),
});

/** An origin as browsers send it: http(s), a host, perhaps a port, and nothing after. */
function isOrigin(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  const bare = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
  return (url.protocol === 'http:' || url.protocol === 'https:') && bare && !value.includes('?') && !value.includes('#');
}

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
  if (parsed.PARLEY_REDIS_URL !== undefined && parsed.PARLEY_DATABASE_URL === undefined) {
    // Every node would number a room's messages in its own parley.db: the same seq for different messages.
    return {
      ok: false,
      message: 'Invalid configuration:\n  PARLEY_REDIS_URL: several nodes need one chat store: set PARLEY_DATABASE_URL (PostgreSQL) too',
    };
  }
  return {
    ok: true,
    config: {
      port: parsed.PORT,
      host: parsed.HOST,
      logLevel: parsed.LOG_LEVEL,
      webDir: parsed.PARLEY_WEB_DIR,
      heartbeatIntervalMs: parsed.PARLEY_HEARTBEAT_MS,
      handshakeTimeoutMs: parsed.PARLEY_HANDSHAKE_TIMEOUT_MS,
      iceUrls: parsed.PARLEY_ICE_SERVERS,
      iceTransportPolicy: parsed.PARLEY_ICE_TRANSPORT_POLICY,
      dataDir: parsed.PARLEY_DATA_DIR,
      secret: parsed.PARLEY_SECRET,
      databaseUrl: parsed.PARLEY_DATABASE_URL,
      redisUrl: parsed.PARLEY_REDIS_URL,
      graceMs: parsed.PARLEY_GRACE_MS,
      resumeTtlS: parsed.PARLEY_RESUME_TTL_S,
      resumeMaxAgeS: parsed.PARLEY_RESUME_MAX_AGE_S,
      inviteTtlS: parsed.PARLEY_INVITE_TTL_S,
      turnSecret: parsed.PARLEY_TURN_SECRET,
      turnTtlS: parsed.PARLEY_TURN_TTL_S,
      badFrames: { max: 10, windowMs: 10_000 },
      frameBudgets: FRAME_BUDGETS,
      chatAddressRate: { perS: parsed.PARLEY_CHAT_ADDRESS_RATE_PER_S, burst: parsed.PARLEY_CHAT_ADDRESS_BURST },
      chatRoomRate: { perS: parsed.PARLEY_CHAT_ROOM_RATE_PER_S, burst: parsed.PARLEY_CHAT_ROOM_BURST },
      chatRate: { perS: parsed.PARLEY_CHAT_RATE_PER_S, burst: parsed.PARLEY_CHAT_BURST },
      chatRetentionDays: parsed.PARLEY_CHAT_RETENTION_DAYS,
      metricsToken: parsed.PARLEY_METRICS_TOKEN,
      allowedOrigins: parsed.PARLEY_ALLOWED_ORIGINS,
      trustProxy: parsed.PARLEY_TRUST_PROXY,
      maxSocketsPerAddress: parsed.PARLEY_MAX_SOCKETS_PER_ADDRESS,
      maxHandshakesPerMin: parsed.PARLEY_MAX_HANDSHAKES_PER_MIN,
      maxRoomsPerMin: parsed.PARLEY_MAX_ROOMS_PER_MIN,
    },
  };
}
