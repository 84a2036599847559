import { createServer, connect, type Socket } from 'node:net';

/**
 * A TCP relay on a free loopback port in front of a server, for a node that
 * should lose touch with it while others do not: `hold()` stops everything
 * crossing (both ways, on open connections and new ones) as a stalled network
 * would, `release()` lets it through again, `cut()` drops every connection and
 * what was held on it, as a network that failed for good would.
 */
export type TcpProxy = {
  port: number;
  hold(): void;
  release(): void;
  cut(): void;
  close(): Promise<void>;
};

type Link = { client: Socket; upstream: Socket; held: Array<[Socket, Buffer]> };

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const links = new Set<Link>();
  let holding = false;

  const drop = (link: Link): void => {
    links.delete(link);
    link.client.destroy();
    link.upstream.destroy();
  };

  const server = createServer((client) => {
    const upstream = connect(target);
    const link: Link = { client, upstream, held: [] };
    links.add(link);
    const forward = (to: Socket) => (data: Buffer) => {
      if (holding) link.held.push([to, data]);
      else to.write(data);
    };
    client.on('data', forward(upstream));
    upstream.on('data', forward(client));
    // A side that closes or fails takes the other with it, as the real server going away would.
    for (const socket of [client, upstream]) {
      socket.on('error', () => drop(link));
      socket.on('close', () => drop(link));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the proxy has no port');

  return {
    port: address.port,
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const link of links) {
        for (const [to, data] of link.held.splice(0)) to.write(data);
      }
    },
    cut() {
      for (const link of [...links]) drop(link);
    },
    async close() {
      for (const link of [...links]) drop(link);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
