import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LIMITS } from '@parley/protocol';
import pino from 'pino';
import { WebSocketServer } from 'ws';
import { afterEach, expect, it } from 'vitest';
import type { ChatService } from '../chat/chat-service';
import { systemClock } from '../clock';
import { parseConfig } from '../config';
import { randomIds } from '../ids';
import { createCounters } from '../metrics';
import type { JoinGate } from '../rooms/join-gate';
import type { OwnerRequests } from '../rooms/owner-requests';
import type { RoomService } from '../rooms/room-service';
import { createIceServers } from '../session/ice-servers';
import { createResumeTokens } from '../session/resume-token';
import { TestClient } from '../testing/test-client';
import { createSessions } from './sessions';
import { attachSignaling } from './signaling';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Signaling in front of room and chat logic that fail on every command. */
async function serveWithBrokenRooms(): Promise<string> {
  const parsed = parseConfig({ LOG_LEVEL: 'silent' });
  if (!parsed.ok) throw new Error(parsed.message);
  const rooms: RoomService = {
    dispatch: () => {
      throw new Error('room logic bug');
    },
    deliverAnywhere: () => {
      throw new Error('room logic bug');
    },
    ready: Promise.resolve(),
    roomOf: () => undefined,
    othersIn: () => [],
    membersOf: () => [],
    nameOf: () => undefined,
    ownerOf: () => undefined,
    policyOf: () => Promise.resolve(undefined),
    isActive: () => false,
    activeRoomIds: () => new Set(),
    listedRooms: () => [],
    onChange: () => () => {},
    counts: () => ({ rooms: 0, participants: 0 }),
    stop: () => {},
    writesSettled: () => Promise.resolve(),
  };
  const bug = (): never => {
    throw new Error('chat logic bug');
  };
  const chat: ChatService = { send: bug, history: bug, typing: bug, clear: bug };
  const joinGate: JoinGate = {
    join: () => Promise.reject(new Error('join gate bug')),
  };
  const owner: OwnerRequests = { configure: () => Promise.reject(new Error('owner bug')), invite: bug, remove: bug, mute: bug };
  const httpServer = createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxFrameBytes });
  const signaling = attachSignaling(httpServer, wss, {
    config: parsed.config,
    clock: systemClock,
    ids: randomIds,
    logger: pino({ level: 'silent' }),
    rooms,
    joinGate,
    owner,
    chat,
    sessions: createSessions(),
    counters: createCounters(),
    tokens: createResumeTokens({ secret: randomBytes(32), ttlS: 60, clock: systemClock }),
    ice: createIceServers(parsed.config, systemClock),
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    await signaling.close();
    await new Promise((resolve) => httpServer.close(resolve));
  });
  return `ws://127.0.0.1:${(httpServer.address() as AddressInfo).port}/ws`;
}

it('turns a failure inside a handler into an internal error reply and keeps the socket', async () => {
  const url = await serveWithBrokenRooms();
  const ada = await TestClient.connect(url, 'Ada');
  ada.send({ type: 'room.join', roomId: 'friday' });
  expect(await ada.nextError('internal')).toMatchObject({ inReplyTo: 'room.join' });
  ada.send({ type: 'room.leave' });
  expect(await ada.nextError('internal')).toMatchObject({ inReplyTo: 'room.leave' });
  ada.send({ type: 'chat.send', roomId: 'friday', clientId: 'client-0001', text: 'hi' });
  expect(await ada.nextError('internal')).toMatchObject({ inReplyTo: 'chat.send' });
  ada.close();
  expect((await ada.closed).code).toBe(1000);
});
