import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The throwaway PostgreSQL and Redis the server's own integration tests start.
import { startTestPostgres, type TestPostgres } from '../../apps/server/src/testing/postgres';
import { startTestRedis, type TestRedis } from '../../apps/server/src/testing/redis';
import { ManagedProcess } from './child-process';
import { freePort, ServerProcess } from './server-process';

/**
 * Parley as an operator runs several nodes: two server processes sharing a
 * Redis (the bus) and a PostgreSQL (chat), behind HAProxy with health
 * checks on /healthz. Everything from Debian packages, each in a temporary
 * directory of its own, gone with dispose().
 */
export class Cluster {
  private readonly haproxy = new ManagedProcess('haproxy');
  private readonly dir = mkdtempSync(join(tmpdir(), 'parley-cluster-'));

  private constructor(
    readonly nodes: ServerProcess[],
    readonly proxyPort: number,
    private readonly redis: TestRedis,
    private readonly postgres: TestPostgres,
  ) {}

  /** The address people open: HAProxy, which sends each connection to a node that passes its health check. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.proxyPort}`;
  }

  /** `env`: more server variables for every node (benchmarks lift the per-address limits). */
  static async start(options: { graceMs?: number; env?: Record<string, string> } = {}): Promise<Cluster> {
    const [postgres, redis] = await Promise.all([startTestPostgres(), startTestRedis()]);
    const [proxyPort, ...nodePorts] = await Promise.all([freePort(), freePort(), freePort()]);
    const env = {
      PARLEY_SECRET: 'e2e-cluster-secret-0123456789',
      PARLEY_REDIS_URL: redis.url,
      PARLEY_DATABASE_URL: await postgres.createDatabase(),
      PARLEY_GRACE_MS: String(options.graceMs ?? 20_000),
      ...options.env,
    };
    const cluster = new Cluster(
      nodePorts.map((port) => new ServerProcess(port, env)),
      proxyPort!,
      redis,
      postgres,
    );
    try {
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
    await this.redis.stop();
    await this.postgres.stop();
    rmSync(this.dir, { recursive: true, force: true });
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
function haproxyConfig(port: number, nodePorts: number[]): string {
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

/** HAProxy passes /healthz on to every node in turn: ready once a full round of them answers. */
async function upBehind(baseUrl: string, nodes: number): Promise<boolean> {
  try {
    for (let i = 0; i < nodes; i++) if (!(await fetch(`${baseUrl}/healthz`)).ok) return false;
    return true;
  } catch {
    return false;
  }
}
