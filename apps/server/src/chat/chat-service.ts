import { type ChatClear, type ChatHistoryRequest, type ChatSend, type ChatTypingSend, type DisplayName, type ErrorCode, LIMITS, type UserId } from '@parley/protocol';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import { createLocalBudgets, type Budget, type Budgets, type Charge } from '../limits/budgets';
import type { Counters } from '../metrics';
import type { Deliver, RoomService } from '../rooms/room-service';
import type { AppendResult, ChatStore, HistoryPage } from '../store/chat-store';
import { createRateLimiter, type RateLimit } from './rate-limiter';
import { createRoomQueue } from './room-queue';

/** Latest page size when chat.history names no limit. */
/** A member's typing indicator is relayed at most once per this interval. */
export const TYPING_RELAY_INTERVAL_MS = 1_000;

/** `address`: where the sender's socket comes from; identities are free, addresses are not. */
export type ChatSender = { userId: UserId; displayName: DisplayName; address?: string };



/**
 * Appends waiting for the store in one room on this node, at most. The room's
 * rate limits keep the queue short; this bounds it when the store is slow
 * (PostgreSQL away for a few seconds) rather than buffering without limit.
 */
export const MAX_PENDING_APPENDS_PER_ROOM = 64;

/** Every method settles once its replies are delivered, and never rejects: a failing store becomes an `internal` reply. */
export type ChatService = {
  send(sender: ChatSender, message: ChatSend): Promise<void>;
  /** The owner deletes the room's history; everyone in the room hears `chat.cleared`. */
  clear(userId: UserId, message: ChatClear): Promise<void>;
  history(userId: UserId, request: ChatHistoryRequest): Promise<void>;
  typing(userId: UserId, message: ChatTypingSend): void;
};

export type ChatServiceDeps = {
  store: ChatStore;
  /** Membership comes from the rooms state: only members of a room post to it or read it. */
  rooms: Pick<RoomService, 'roomOf' | 'othersIn' | 'ownerOf' | 'membersOf' | 'nameOf'>;
  deliver: Deliver;
  clock: Clock;
  logger: Logger;
  counters: Pick<Counters, 'chatMessagesStored' | 'chatRateLimited' | 'chatStoreFailures'>;
  /** Per-user limit on chat.send. */
  rate: RateLimit;
  /** Per-address and per-room limits (config.chatAddressRate, chatRoomRate); none where not given. */
  addressRate?: RateLimit;
  roomRate?: RateLimit;
  /** Where those three are counted: shared by the nodes of a cluster (see limits/budgets.ts); in this process when not given. */
  budgets?: Budgets;
};

type ErrorFields = { inReplyTo: string; ref?: string; retryAfterMs?: number };

/** A refused history request names the request in `ref`, as its page would in `requestId`. */
const refOf = (requestId: number | undefined): { ref?: string } => (requestId === undefined ? {} : { ref: String(requestId) });

/**
 * Room chat: checks membership against the rooms state, rate-limits senders,
 * stores every message before anyone hears of it, then acks the sender and
 * hands the stored message (with its seq) to the other members. A resent
 * clientId is acked again with the stored message and never broadcast twice.
 * Knows nothing about sockets; a failing store becomes an `internal` reply.
 *
 * Appends of one room go to the store one after another (RoomQueue), so this
 * node acks and broadcasts them in seq order; the store assigns the seq, so
 * nodes sharing it agree on one order.
 */
export function createChatService(deps: ChatServiceDeps): ChatService {
  const { store, rooms, deliver, clock, counters } = deps;
  const log = deps.logger.child({ component: 'chat' });
  const budgets = deps.budgets ?? createLocalBudgets(clock);
  const perUser: Budget = { name: 'chat.user', ...deps.rate };
  // Beside the per-user budget, which a new hello would reset: per address and per room, where configured.
  const perAddress: Budget | undefined = deps.addressRate && { name: 'chat.address', ...deps.addressRate };
  const perRoom: Budget | undefined = deps.roomRate && { name: 'chat.room', ...deps.roomRate };
  /** Every budget the message counts against; the first that is empty refuses it, and none is charged. */
  const takeAll = (userId: UserId, address: string | undefined, roomId: string) => {
    const charges: Charge[] = [{ budget: perUser, key: userId }];
    if (perRoom) charges.push({ budget: perRoom, key: roomId });
    if (perAddress && address !== undefined) charges.push({ budget: perAddress, key: address });
    return budgets.take(charges);
  };
  // A hint, relayed by the node the typist is on: counted there alone.
  const typingLimit = createRateLimiter({ perS: 1000 / TYPING_RELAY_INTERVAL_MS, burst: 1 }, clock);

  const refuse = (to: UserId, code: ErrorCode, message: string, fields: ErrorFields): void => {
    deliver([to], { type: 'error', code, message, ...fields });
  };

  const isMember = (userId: UserId, roomId: string): boolean => rooms.roomOf(userId) === roomId;
  const appends = createRoomQueue(MAX_PENDING_APPENDS_PER_ROOM);

  return {
    async send({ userId, displayName, address }, { roomId, clientId, text }) {
      const inReplyTo = 'chat.send';
      if (!isMember(userId, roomId)) {
        return refuse(userId, 'not_in_room', `join room ${roomId} before posting to it`, { inReplyTo, ref: clientId });
      }
      const allowed = await takeAll(userId, address, roomId);
      if (!allowed.ok) {
        counters.chatRateLimited++;
        log.debug({ userId, roomId, retryAfterMs: allowed.retryAfterMs }, 'chat message rate-limited');
        return refuse(userId, 'rate_limited', 'too many messages; wait and resend', {
          inReplyTo,
          ref: clientId,
          retryAfterMs: allowed.retryAfterMs,
        });
      }
      // The name the room lists them under ("Alice (2)"), so chat and roster agree.
      const message = { roomId, clientId, userId, displayName: rooms.nameOf(userId) ?? displayName, text, sentAt: clock.now() };
      const appending = appends.run(roomId, () => store.append(message));
      if (!appending) {
        counters.chatStoreFailures++;
        log.warn({ userId, roomId, pending: appends.pending(roomId) }, 'chat store is behind; message refused');
        return refuse(userId, 'internal', 'the message was not stored; resend it', { inReplyTo, ref: clientId });
      }
      let stored: AppendResult;
      try {
        stored = await appending;
      } catch (err) {
        counters.chatStoreFailures++;
        log.error({ err, userId, roomId, clientId }, 'storing a chat message failed');
        return refuse(userId, 'internal', 'the message was not stored; resend it', { inReplyTo, ref: clientId });
      }
      const { duplicate } = stored;
      deliver([userId], { type: 'chat.ack', message: stored.message });
      if (duplicate) {
        log.debug({ userId, roomId, seq: stored.message.seq }, 'chat message resent, acked again');
        return;
      }
      counters.chatMessagesStored++;
      log.debug({ userId, roomId, seq: stored.message.seq }, 'chat message stored');
      // Whoever is in the room now: someone may have joined or left while the store answered.
      deliver(rooms.othersIn(roomId, userId), { type: 'chat.message', message: stored.message });
    },

    async history(userId, { roomId, afterSeq, beforeSeq, limit, requestId }) {
      const inReplyTo = 'chat.history';
      const answering = requestId === undefined ? {} : { requestId };
      if (!isMember(userId, roomId)) {
        return refuse(userId, 'not_in_room', `join room ${roomId} before reading its history`, { inReplyTo, ...refOf(requestId) });
      }
      let page: HistoryPage;
      try {
        page = await store.history({ roomId, afterSeq, beforeSeq, limit: limit ?? LIMITS.chatHistoryDefaultPage });
      } catch (err) {
        counters.chatStoreFailures++;
        log.error({ err, userId, roomId }, 'reading chat history failed');
        return refuse(userId, 'internal', 'could not read the history; ask again', { inReplyTo, ...refOf(requestId) });
      }
      deliver([userId], { type: 'chat.history', roomId, messages: page.messages, hasMore: page.hasMore, ...answering });
    },

    async clear(userId, { roomId }) {
      const inReplyTo = 'chat.clear';
      if (!isMember(userId, roomId)) return refuse(userId, 'not_in_room', `join room ${roomId} first`, { inReplyTo });
      if (rooms.ownerOf(roomId) !== userId) return refuse(userId, 'not_owner', 'only the room owner may clear its history', { inReplyTo });
      try {
        const deleted = await store.clearRoom(roomId);
        log.info({ userId, roomId, deleted }, 'chat history cleared');
      } catch (err) {
        counters.chatStoreFailures++;
        log.error({ err, userId, roomId }, 'clearing chat history failed');
        return refuse(userId, 'internal', 'the history was not cleared; try again', { inReplyTo });
      }
      deliver(rooms.membersOf(roomId), { type: 'chat.cleared', roomId });
    },

    typing(userId, { roomId }) {
      // Typing is a hint: dropped silently when it cannot or need not be relayed.
      if (!isMember(userId, roomId) || !typingLimit.take(userId).ok) return;
      deliver(rooms.othersIn(roomId, userId), { type: 'chat.typing', roomId, userId });
    },
  };
}

