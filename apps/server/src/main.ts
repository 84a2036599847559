// The composition root: reads the environment, loads the secret, opens the
// databases (chat and room settings: parley.db, or PostgreSQL), builds the real collaborators, listens, and shuts down cleanly on SIGTERM/SIGINT.
import { systemClock } from './clock';
import { createProcessLogger } from './logger';
import { parseConfig } from './config';
import { randomIds } from './ids';
import { loadSecret } from './secret';
import { createParleyServer } from './server';
import type { Bus } from './cluster/bus';
import { createRedisBudgets } from './cluster/redis-budgets';
import { createRedisBus } from './cluster/redis-bus';
import type { ChatStore } from './store/chat-store';
import { DB_FILE, openDatabase, type ParleyDatabase } from './store/database';
import { openPgDatabase, type PgDatabase } from './store/pg-database';
import type { RoomSettingsStore } from './store/room-settings-store';

const parsed = parseConfig(process.env);
if (!parsed.ok) {
  process.stderr.write(`${parsed.message}\n`);
  process.exit(1);
}
const config = parsed.config;
const { logger, flush } = createProcessLogger(config.logLevel);

/** However stuck anything is (clients that never read, a log reader that is gone), SIGTERM ends the process within this. */
const SHUTDOWN_LIMIT_MS = 10_000;

let secret: Buffer;
try {
  const loaded = await loadSecret({ dataDir: config.dataDir, fromEnv: config.secret });
  secret = loaded.secret;
  logger.info({ source: loaded.source, file: loaded.source === 'env' ? undefined : loaded.file }, 'secret loaded');
} catch (err) {
  logger.fatal({ err, dataDir: config.dataDir }, 'could not load or create the secret');
  await flush(500);
  process.exit(1);
}

let database: ParleyDatabase;
try {
  database = openDatabase(config.dataDir, systemClock.now);
  logger.info({ dataDir: config.dataDir, file: DB_FILE }, 'database open');
} catch (err) {
  logger.fatal({ err, dataDir: config.dataDir }, 'could not open the database');
  await flush(500);
  process.exit(1);
}

// Chat and room settings on the PostgreSQL every node shares, where one is configured; otherwise in parley.db.
let chatStore: ChatStore = database.chat;
let roomSettings: RoomSettingsStore = database.rooms;
let postgres: PgDatabase | undefined;
if (config.databaseUrl !== undefined) {
  const log = logger.child({ component: 'postgres' });
  try {
    postgres = await openPgDatabase(config.databaseUrl, {
      now: systemClock.now,
      onConnectionError: (err) => log.warn({ err }, 'lost a PostgreSQL connection; the pool makes a new one when needed'),
    });
    chatStore = postgres.chat;
    roomSettings = postgres.rooms;
    log.info('chat and room settings on PostgreSQL, migrated');
    // Rooms this node kept in parley.db before their settings moved here: their passwords and owners still hold.
    const moved = await database.moveRooms(postgres.importRooms);
    if (moved > 0) log.info({ rooms: moved }, 'room settings moved from parley.db to PostgreSQL');
  } catch (err) {
    // The message names the host, never the password in the URL.
    log.fatal({ err }, 'could not open the PostgreSQL stores (PARLEY_DATABASE_URL)');
    await postgres?.close();
    await flush(500);
    process.exit(1);
  }
}

// Rooms and budgets shared with the other nodes through Redis, where one is configured; they connect when the server starts listening.
const bus: Bus | undefined = config.redisUrl === undefined ? undefined : createRedisBus(config.redisUrl, { logger });
const budgets = config.redisUrl === undefined ? undefined : createRedisBudgets(config.redisUrl, { logger, clock: systemClock });

const server = createParleyServer(config, {
  logger,
  clock: systemClock,
  ids: randomIds,
  secret,
  chatStore,
  roomSettings,
  ...(bus === undefined ? {} : { bus }),
  ...(budgets === undefined ? {} : { budgets }),
});

let shuttingDown = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (shuttingDown) {
    // A second signal: at once, without waiting for anything.
    process.exit(1);
  }
  shuttingDown = true;
  setTimeout(() => process.exit(1), SHUTDOWN_LIMIT_MS).unref();
  logger.info({ signal }, 'shutting down');
  try {
    await server.close();
    await bus?.close();
    await budgets?.close();
    await postgres?.close();
    database.close();
    await flush(500);
    process.exit(0);
  } catch (err) {
    logger.error({ err }, 'shutdown failed');
    await flush(500);
    process.exit(1);
  }
}
process.on('SIGTERM', (signal) => void shutdown(signal));
process.on('SIGINT', (signal) => void shutdown(signal));

server.listen().catch(async (err: unknown) => {
  logger.fatal({ err }, 'could not start listening');
  await flush(500);
  process.exit(1);
});
