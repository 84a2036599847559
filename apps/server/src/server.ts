import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LIMITS } from '@parley/protocol';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { createChatService } from './chat/chat-service';
import type { Clock } from './clock';
import type { Config } from './config';
import { createHttpApp } from './http/app';
import type { Ids } from './ids';
import { watchEventLoopDelay } from './event-loop-delay';
import { createCounters } from './metrics';
import { listedRoomsRouter } from './http/listed-rooms';
import { startRetention } from './retention';
import { createJoinGate } from './rooms/join-gate';
import { createOwnerRequests } from './rooms/owner-requests';
import { hashPassword, verifyPassword } from './rooms/password-hash';
import { createRoomService } from './rooms/room-service';
import { createIceServers } from './session/ice-servers';
import { createInviteTokens } from './session/invite-token';
import { createResumeTokens } from './session/resume-token';
import type { Bus } from './cluster/bus';
import { createLocalBudgets, type Budgets } from './limits/budgets';
import type { ChatStore } from './store/chat-store';
import type { RoomSettingsStore } from './store/room-settings-store';
import { createSessions } from './transport/sessions';
import { attachSignaling } from './transport/signaling';

export type ServerDeps = {
  logger: Logger;
  clock: Clock;
  ids: Ids;
  /** Signs resume tokens; servers sharing it accept each other's tokens (see secret.ts). */
  secret: Uint8Array;
  /** Where chat messages are kept. Opened and closed by the caller (main.ts), not by the server. */
  chatStore: ChatStore;
  /** Where room settings (owner key, password, lock, listing) are kept; the caller's too. */
  roomSettings: RoomSettingsStore;
  /** How this node shares rooms with others (PARLEY_REDIS_URL); in memory, alone, when not given. The caller's to close. */
  bus?: Bus;
  /** Where joins, chat sends and owners' requests are counted: with the other nodes (Redis), or in this process when not given. The caller's to close. */
  budgets?: Budgets;
};

export type ParleyServer = {
  /** Starts listening on config.host:config.port; resolves with the bound port (useful with port 0). */
  listen(): Promise<number>;
  /** Stops accepting, closes every socket with 1001, resolves when nothing is left open. */
  close(): Promise<void>;
};

/**
 * Wires one Parley server from its config and injected collaborators. main.ts
 * calls it for the real process; integration tests call it on an ephemeral port.
 */
export function createParleyServer(config: Config, deps: ServerDeps): ParleyServer {
  const { logger, clock, ids, secret, chatStore, roomSettings } = deps;
  const counters = createCounters();
  const eventLoop = watchEventLoopDelay();
  const sessions = createSessions();
  const rooms = createRoomService({
    deliver: sessions.deliver,
    isLocal: sessions.has,
    movedAway: sessions.supersede,
    ...(deps.bus === undefined ? {} : { bus: deps.bus }),
    logger,
    clock,
    graceMs: config.graceMs,
    policies: roomSettings,
  });
  const budgets = deps.budgets ?? createLocalBudgets(clock);
  const invites = createInviteTokens({ secret, ttlS: config.inviteTtlS, clock });
  const joinGate = createJoinGate({ rooms, invites, verifyPassword, deliver: rooms.deliverAnywhere, clock, logger, roomsPerMin: config.maxRoomsPerMin, budgets });
  const owner = createOwnerRequests({ rooms, invites, hashPassword, deliver: rooms.deliverAnywhere, clock, logger, budgets });
  const chat = createChatService({
    store: chatStore,
    rooms,
    // A room's members may be connected to other nodes.
    deliver: rooms.deliverAnywhere,
    clock,
    logger,
    counters,
    rate: config.chatRate,
    addressRate: config.chatAddressRate,
    roomRate: config.chatRoomRate,
    budgets,
  });
  const tokens = createResumeTokens({ secret, ttlS: config.resumeTtlS, maxAgeS: config.resumeMaxAgeS, clock });
  const ice = createIceServers(config, clock);
  const app = createHttpApp({
    webDir: config.webDir,
    logger,
    stats: () => ({ ...counters, ...rooms.counts() }),
    health: {
      database: async () => ({ kind: chatStore.kind, ok: await chatStore.ping() }),
      bus: async () => ({ kind: deps.bus?.kind ?? 'memory', ok: (await deps.bus?.ping()) ?? true }),
    },
    listedRooms: listedRoomsRouter(rooms),
    metricsToken: config.metricsToken,
    eventLoop: () => eventLoop.sinceLastRead(),
    trustProxy: config.trustProxy,
  });
  const httpServer = createServer(app);
  // No permessage-deflate (ws's default, said out loud). Its zlib contexts stay with each socket for
  // context takeover: a bare ws server whose sockets had echoed one message held about 240 kB more
  // per socket with ws's defaults, 100 kB with 10-bit windows and memLevel 2, where all of an idle
  // joined Parley connection costs about 6 kB; what it saves is an SDP offer going out at 0.45 kB
  // instead of 1.4, and candidates and chat lines a quarter smaller at best.
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false });
  const signaling = attachSignaling(httpServer, wss, {
    config,
    clock,
    ids,
    logger,
    rooms,
    joinGate,
    owner,
    chat,
    sessions,
    counters,
    tokens,
    ice,
  });

  let stopRetention = (): void => {};

  return {
    async listen() {
      // Caught up with the other nodes' rooms before anyone can join one.
      await Promise.all([rooms.ready, budgets.start()]);
      return new Promise<number>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          const { port } = httpServer.address() as AddressInfo;
          logger.info({ host: config.host, port, webDir: config.webDir }, 'listening');
          stopRetention = startRetention({ chat: chatStore, policies: roomSettings, rooms, clock, logger, days: config.chatRetentionDays });
          resolve(port);
        });
      });
    },
    async close() {
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await signaling.close();
      stopRetention();
      eventLoop.stop();
      rooms.stop();
      await rooms.writesSettled();
      httpServer.closeAllConnections();
      await stopped;
      logger.info('closed');
    },
  };
}
