/**
 * The baseline's server: serves page.html and page.js from disk and relays
 * signals between the members of a room over one WebSocket each. Nothing else:
 * no auth, no persistence, no heartbeat, no recovery. Standalone:
 * `tsx bench/baseline/server.ts` (port from BASELINE_PORT, default 8790).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseClientMessage, type BaselineServerMessage } from './protocol';

export type BaselineServer = { baseUrl: string; close(): Promise<void> };

type Member = { id: string; name: string; socket: WebSocket };

const FILES: Record<string, { file: string; contentType: string }> = {
  page: { file: 'page.html', contentType: 'text/html; charset=utf-8' },
  script: { file: 'page.js', contentType: 'text/javascript; charset=utf-8' },
};

function route(path: string): keyof typeof FILES | null {
  if (path === '/' || /^\/r\/[^/]+$/.test(path)) return 'page';
  if (path === '/page.js') return 'script';
  return null;
}

async function serveFile(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const name = request.method === 'GET' ? route(new URL(request.url ?? '/', 'http://x').pathname) : null;
  const entry = name === null ? undefined : FILES[name];
  if (!entry) {
    response.writeHead(404).end();
    return;
  }
  const body = await readFile(new URL(entry.file, import.meta.url));
  response.writeHead(200, { 'content-type': entry.contentType, 'cache-control': 'no-store' }).end(body);
}

function send(socket: WebSocket, message: BaselineServerMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

export async function startBaselineServer(port = 0): Promise<BaselineServer> {
  const rooms = new Map<string, Map<string, Member>>();
  let nextId = 1;

  const http = createServer((request, response) => {
    serveFile(request, response).catch(() => response.writeHead(500).end());
  });
  const wss = new WebSocketServer({ server: http, path: '/ws' });

  wss.on('connection', (socket) => {
    let joined: { room: Map<string, Member>; roomId: string; self: Member } | null = null;

    const leave = () => {
      if (!joined) return;
      const { room, roomId, self } = joined;
      joined = null;
      room.delete(self.id);
      if (room.size === 0) rooms.delete(roomId);
      for (const other of room.values()) send(other.socket, { type: 'peer-left', id: self.id });
    };

    socket.on('message', (data) => {
      const message = parseClientMessage(String(data));
      if (!message) return;
      switch (message.type) {
        case 'join': {
          if (joined) return;
          const room = rooms.get(message.room) ?? new Map<string, Member>();
          rooms.set(message.room, room);
          const self: Member = { id: `p${nextId++}`, name: message.name, socket };
          const peers = [...room.values()].map(({ id, name }) => ({ id, name }));
          room.set(self.id, self);
          joined = { room, roomId: message.room, self };
          send(socket, { type: 'joined', id: self.id, peers });
          for (const other of room.values()) {
            if (other !== self) send(other.socket, { type: 'peer-joined', id: self.id, name: self.name });
          }
          return;
        }
        case 'signal': {
          const target = joined?.room.get(message.to);
          if (joined && target) send(target.socket, { type: 'signal', from: joined.self.id, data: message.data });
          return;
        }
        case 'leave':
          leave();
          return;
        default:
          message satisfies never;
      }
    });
    socket.on('close', leave);
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: boundPort } = http.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${boundPort}`,
    async close() {
      for (const socket of wss.clients) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startBaselineServer(Number(process.env.BASELINE_PORT ?? 8790));
  console.log(`baseline room: ${server.baseUrl}/r/<room>`);
  process.once('SIGINT', () => void server.close());
  process.once('SIGTERM', () => void server.close());
}
