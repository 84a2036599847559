import { execFileSync, spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedProcess } from './child-process';
import { freePort, ServerProcess } from './server-process';

/**
 * Parley as an operator runs several nodes: two server processes sharing a
 * Redis (the bus) and a PostgreSQL (chat), behind HAProxy with health
 * checks on /healthz. Everything from Debian packages, each in a temporary
 * directory of its own, gone with dispose().
 */
export class Cluster {
  readonly nodes: ServerProcess[];
  private readonly redis = new ManagedProcess('redis-server');
  private readonly haproxy = new ManagedProcess('haproxy');
  private readonly dir = mkdtempSync(join(tmpdir(), 'parley-cluster-'));
  private postgres: { stop(): void } | undefined;

  private constructor(
    readonly proxyPort: number,
    private readonly redisPort: number,
    nodePorts: number[],
    env: Record<string, string>,
  ) {
    this.nodes = nodePorts.map((port) => new ServerProcess(port, env));
    // PostgreSQL runs as its own user below this directory.
    chmodSync(this.dir, 0o755);
  }

  /** The address people open: HAProxy, which sends each connection to a node that passes its health check. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.proxyPort}`;
  }

  /** `env`: more server variables for every node (benchmarks lift the per-address limits). */
  static async start(options: { graceMs?: number; env?: Record<string, string> } = {}): Promise<Cluster> {
    const [proxyPort, redisPort, pgPort, ...nodePorts] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const databaseUrl = `postgres://parley@127.0.0.1:${pgPort}/postgres`;
    const cluster = new Cluster(proxyPort!, redisPort!, nodePorts, {
      PARLEY_SECRET: 'e2e-cluster-secret-0123456789',
      PARLEY_REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      PARLEY_DATABASE_URL: databaseUrl,
      PARLEY_GRACE_MS: String(options.graceMs ?? 20_000),
      ...options.env,
    });
    try {
      cluster.postgres = startPostgres(join(cluster.dir, 'pg'), pgPort!);
      await cluster.startRedis();
      await Promise.all(cluster.nodes.map((node) => node.start(30_000)));
      await cluster.startHaproxy();
    } catch (err) {
      await cluster.dispose();
      throw err;
    }
    return cluster;
  }

  async dispose(): Promise<void> {
    await this.haproxy.kill('SIGTERM');
    await Promise.all(this.nodes.map((node) => node.dispose()));
    await this.redis.kill('SIGTERM');
    this.postgres?.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async startRedis(): Promise<void> {
    const args = ['--port', String(this.redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    await this.redis.start('redis-server', args, process.env, () => accepts(`redis://127.0.0.1:${this.redisPort}`), 10_000);
  }

  private async startHaproxy(): Promise<void> {
    const config = join(this.dir, 'haproxy.cfg');
    writeFileSync(config, haproxyConfig(this.proxyPort, this.nodes.map((node) => node.port)));
    await this.haproxy.start('haproxy', ['-db', '-f', config], process.env, () => upBehind(this.baseUrl, this.nodes.length), 15_000);
  }
}

/**
 * What an operator would write (README, "Several nodes"): WebSockets pass
 * through as long-lived tunnels, and a node that fails two health checks
 * half a second apart gets no new connections.
 */
export function haproxyConfig(port: number, nodePorts: number[]): string {
  return `global
  maxconn 4096

defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  # A WebSocket is a tunnel once upgraded: it lives as long as the call.
  timeout tunnel 1h
  option forwardfor

frontend parley
  bind 127.0.0.1:${port}
  default_backend nodes

backend nodes
  balance roundrobin
  option httpchk GET /healthz
  http-check expect status 200
  default-server inter 500ms fall 2 rise 2
${nodePorts.map((p, i) => `  server node${i + 1} 127.0.0.1:${p} check`).join('\n')}
`;
}

async function accepts(url: string): Promise<boolean> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ port: Number(port), host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** HAProxy passes /healthz on to every node in turn: ready once a full round of them answers. */
async function upBehind(baseUrl: string, nodes: number): Promise<boolean> {
  try {
    for (let i = 0; i < nodes; i++) if (!(await fetch(`${baseUrl}/healthz`)).ok) return false;
    return true;
  } catch {
    return false;
  }
}

function pgBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => join(root, v, 'bin')).find((bin) => existsSync(join(bin, 'pg_ctl')));
  if (!found) throw new Error('PostgreSQL is not installed: apt-get install -y postgresql (.ci/run does)');
  return found;
}

/** A throwaway PostgreSQL cluster; as root its tools run as the package's `postgres` user, since PostgreSQL refuses root. */
function startPostgres(dir: string, port: number): { stop(): void } {
  const bin = pgBin();
  const run = (tool: string, args: string[]) => {
    const asRoot = process.getuid?.() === 0;
    const result = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { encoding: 'utf8' }) : spawnSync(join(bin, tool), args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr || result.stdout}`);
  };
  execFileSync('mkdir', ['-p', dir]);
  chmodSync(dir, 0o777);
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'parley', '--no-sync', '-E', 'UTF8']);
  run('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(dir, 'log'), '-w', 'start']);
  return { stop: () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']) };
}
