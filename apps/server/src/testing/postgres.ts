import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port';

/**
 * A PostgreSQL server for tests: a throwaway cluster in a temporary
 * directory, started from the Debian package's binaries, or, where
 * PARLEY_TEST_DATABASE_URL names one (a laptop without root), that server.
 * Each test gets a database of its own from `createDatabase()`.
 */
export type TestPostgres = {
  /** A fresh, empty database; its connection string. */
  createDatabase(): Promise<string>;
  /** Stops the server (a fast shutdown: what `kill -9` would do to clients) and starts it again on the same port and data. */
  restart(options?: { downMs?: number }): Promise<void>;
  /** Stops the server as restart() does, keeping its data, until resume(). */
  pause(): Promise<void>;
  /** Starts a paused server again on the same port and data. */
  resume(): Promise<void>;
  stop(): Promise<void>;
};

const ADMIN_USER = 'parley';

function pgBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const bin = path.join(root, version, 'bin');
    if (existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  throw new Error(
    'PostgreSQL is not installed: `apt-get install -y postgresql` (CI does), or set PARLEY_TEST_DATABASE_URL to a server you run (a role that may CREATE DATABASE)',
  );
}


/** PostgreSQL refuses to run as root: as root, its tools run as the package's `postgres` user. */
function run(bin: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const result = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', bin, ...args], { encoding: 'utf8' }) : spawnSync(bin, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${path.basename(bin)} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
}

let databases = 0;

export async function startTestPostgres(): Promise<TestPostgres> {
  const given = process.env.PARLEY_TEST_DATABASE_URL;
  if (given) return externalPostgres(given);

  const bin = pgBin();
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-pg-'));
  chmodSync(dir, 0o777);
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  const data = path.join(dir, 'data');
  const port = await freePort();
  run(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', ADMIN_USER, '--no-sync', '-E', 'UTF8']);
  // fsync off: a test cluster lives for one run; durability across a power cut is not what it tests.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = () => run(path.join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
  const stopServer = () => run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
  start();
  const adminUrl = `postgres://${ADMIN_USER}@127.0.0.1:${port}/postgres`;
  return {
    createDatabase: () => createDatabase(adminUrl),
    async restart({ downMs = 0 } = {}) {
      stopServer();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      start();
    },
    pause: () => Promise.resolve(stopServer()),
    resume: () => Promise.resolve(start()),
    async stop() {
      try {
        stopServer();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function externalPostgres(url: string): TestPostgres {
  return {
    createDatabase: () => createDatabase(url),
    restart: () => Promise.reject(new Error('cannot restart a PostgreSQL this test did not start (PARLEY_TEST_DATABASE_URL)')),
    pause: () => Promise.reject(new Error('cannot stop a PostgreSQL this test did not start (PARLEY_TEST_DATABASE_URL)')),
    resume: () => Promise.resolve(),
    stop: () => Promise.resolve(),
  };
}

async function createDatabase(adminUrl: string): Promise<string> {
  const name = `parley_test_${process.pid}_${Date.now().toString(36)}_${++databases}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
