import type { ChatChannel, ChatEvents, ChatRejection, Clock, TimerHandle } from '@parley/mesh';
import { ChatText, LIMITS, type ChatMessage, type RoomId } from '@parley/protocol';
import { CHAT_TIMING } from './chat-config';
import type { ChatSlice, HistoryDirection } from './chat-slice';
import type { StorageLike } from '../../app/browser-storage';
import { loadOutbox, saveOutbox } from './outbox-storage';
import { classifyRejection } from './rejection';

/** What the chat needs of the engine: its chat channel (ChatChannel in @parley/mesh is the real one). */
export type ChatEngine = Pick<ChatChannel, 'send' | 'requestHistory' | 'sendTyping'> & {
  on<K extends keyof ChatEvents>(name: K, listener: (payload: ChatEvents[K]) => void): () => void;
};

export type ChatControllerDeps = {
  engine: ChatEngine;
  /** The app store (any store whose state includes the chat slice). */
  store: { getState(): ChatSlice };
  clock: Clock;
  /** Where unsent messages survive a reload (localStorage in the browser). */
  storage: StorageLike;
  newClientId(): string;
  /** Messages per history request; defaults to the protocol's default page. */
  pageSize?: number;
};

/** What the chat panel calls. Each command is safe to call at any time. */
export type ChatController = {
  /** Queue `text` (trimmed) for delivery; false when it is empty, too long, or there is no room. */
  send(text: string): boolean;
  retry(clientId: string): void;
  discard(clientId: string): void;
  /** The user typed: tell the room, at most once per CHAT_TIMING.typingThrottleMs. */
  typing(): void;
  /** Ask for the page before the oldest message we hold. */
  loadOlder(): void;
  dispose(): void;
};

type HistoryRequest = { roomId: RoomId; direction: HistoryDirection; afterSeq?: number };
/** Requests in flight, by the id their answer will carry. */
type PendingHistory = Map<number, HistoryRequest>;
type InFlight = { clientId: string; timer: TimerHandle };

/**
 * The chat's side effects: applies the engine's chat events to the store,
 * keeps the outbox in storage, catches up on history after every (re)join,
 * and delivers the outbox one message at a time, in order — the next goes
 * on the wire only after the previous one's ack. A resend (reconnect, ack
 * timeout, rate limit) reuses the clientId, which the server dedupes, so
 * every message is stored exactly once.
 *
 * The channel says when the room is ready (the session is up and its roster
 * current: on joining and after every reconnect); each time the chat catches
 * up and resends. History pages name the request they answer.
 *
 * Start it right after the engine is created, before connect()/join().
 */
export function startChatController(deps: ChatControllerDeps): ChatController {
  const { engine, store, clock, storage } = deps;
  const pageSize = Math.min(deps.pageSize ?? LIMITS.chatHistoryDefaultPage, LIMITS.chatHistoryMaxPage);
  const actions = () => store.getState();
  const chat = () => store.getState().chat;

  let disposed = false;
  /** The room the channel is ready for; undefined while the session is down or joining. */
  let readyRoomId: RoomId | undefined;
  let inFlight: InFlight | undefined;
  let retryTimer: TimerHandle | undefined;
  let pruneTimer: TimerHandle | undefined;
  /** The page does not say which way it looked: the request it names does. */
  let pendingHistory: PendingHistory = new Map();
  let lastTypingSentAt = Number.NEGATIVE_INFINITY;
  let savedOutbox = chat().outbox;

  const clearTimer = (handle: TimerHandle | undefined) => {
    if (handle !== undefined) clock.clearTimeout(handle);
  };

  function clearInFlight(): void {
    clearTimer(inFlight?.timer);
    inFlight = undefined;
  }

  function clearRetry(): void {
    clearTimer(retryTimer);
    retryTimer = undefined;
  }

  function persist(): void {
    const { roomId, outbox } = chat();
    if (roomId === undefined || outbox === savedOutbox) return;
    saveOutbox(storage, roomId, outbox);
    savedOutbox = outbox;
  }

  function ready(): RoomId | undefined {
    if (disposed || readyRoomId === undefined || chat().roomId !== readyRoomId) return undefined;
    return readyRoomId;
  }

  /** Put the oldest pending message on the wire, unless one is already waiting for its ack. */
  function pump(): void {
    const roomId = ready();
    if (roomId === undefined) return;
    const { outbox } = chat();
    if (inFlight !== undefined) {
      const current = inFlight.clientId;
      if (outbox.some((e) => e.clientId === current && e.status === 'sending')) return;
      clearInFlight();
    }
    const head = outbox.find((e) => e.status === 'sending' && e.roomId === roomId);
    if (head === undefined) return;
    const now = clock.now();
    if (head.retryAt !== undefined && head.retryAt > now) {
      clearRetry();
      retryTimer = clock.setTimeout(() => {
        retryTimer = undefined;
        pump();
      }, head.retryAt - now);
      return;
    }
    if (!engine.send({ roomId, clientId: head.clientId, text: head.text })) return;
    actions().chatSendAttempted(head.clientId);
    persist();
    inFlight = {
      clientId: head.clientId,
      timer: clock.setTimeout(() => {
        // No ack: send it again; the server answers a known clientId with its ack.
        inFlight = undefined;
        pump();
      }, CHAT_TIMING.ackTimeoutMs),
    };
  }

  function requestHistory(roomId: RoomId, direction: HistoryDirection, bounds: { afterSeq?: number; beforeSeq?: number }): boolean {
    const requestId = engine.requestHistory(roomId, { limit: pageSize, ...bounds });
    if (requestId === undefined) return false;
    pendingHistory.set(requestId, { roomId, direction, ...(bounds.afterSeq === undefined ? {} : { afterSeq: bounds.afterSeq }) });
    return true;
  }

  /** After a (re)join or a resumed session: fetch what we lack, then deliver the outbox. */
  function sync(): void {
    const roomId = ready();
    if (roomId === undefined) return;
    const state = chat();
    const direction: HistoryDirection = state.historyLoaded ? 'after' : 'latest';
    const asked = [...pendingHistory.values()].some((r) => r.roomId === roomId && r.direction === direction);
    if (!asked) requestHistory(roomId, direction, direction === 'after' ? { afterSeq: state.lastSeq } : {});
    pump();
  }

  function schedulePrune(): void {
    clearTimer(pruneTimer);
    pruneTimer = undefined;
    const expiries = Object.values(chat().typing);
    if (expiries.length === 0) return;
    const delayMs = Math.max(0, Math.min(...expiries) - clock.now());
    pruneTimer = clock.setTimeout(() => {
      pruneTimer = undefined;
      actions().chatTypingPruned(clock.now());
      schedulePrune();
    }, delayMs);
  }

  function onReady(event: ChatEvents['readyChanged']): void {
    clearInFlight();
    if (event.roomId === undefined) {
      readyRoomId = undefined;
      clearRetry();
      pendingHistory = new Map();
      lastTypingSentAt = Number.NEGATIVE_INFINITY;
      actions().chatConnectionLost();
      schedulePrune();
      return;
    }
    const { roomId, selfId } = event;
    readyRoomId = roomId;
    const changedRoom = chat().roomId !== roomId;
    if (changedRoom) {
      clearRetry();
      pendingHistory = new Map();
    }
    actions().chatRoomJoined({ roomId, selfId, storedOutbox: changedRoom ? loadOutbox(storage, roomId) : [] });
    if (changedRoom) savedOutbox = chat().outbox;
    sync();
  }

  function onAcked(message: ChatMessage): void {
    actions().chatMessageAcked(message);
    if (inFlight?.clientId === message.clientId) clearInFlight();
    persist();
    pump();
  }

  function onReceived(message: ChatMessage): void {
    actions().chatMessageReceived(message);
    persist();
    schedulePrune();
    pump();
  }

  function onHistory({ requestId, ...page }: ChatEvents['historyReceived']): void {
    const request = pendingHistory.get(requestId);
    // An answer to a request from before the connection dropped: its successor is on its way.
    if (request === undefined) return;
    pendingHistory.delete(requestId);
    const direction = request.direction;
    actions().chatHistoryReceived({ ...page, direction });
    persist();
    const roomId = ready();
    if (direction === 'after' && page.hasMore && roomId === page.roomId) {
      // Keep catching up while the server has more, as long as each page moves us forward.
      const { lastSeq } = chat();
      if (lastSeq > (request.afterSeq ?? Number.POSITIVE_INFINITY)) requestHistory(roomId, 'after', { afterSeq: lastSeq });
    }
    pump();
  }

  function onRejected(rejection: ChatRejection): void {
    actions().chatMessageRejected(rejection, clock.now());
    if (inFlight?.clientId === rejection.clientId) clearInFlight();
    // The server says we are not in the room: wait for the rejoin before sending again.
    if (classifyRejection(rejection.code, rejection.retryAfterMs).kind === 'wait') readyRoomId = undefined;
    persist();
    pump();
  }

  function onHistoryFailed({ requestId }: ChatEvents['historyFailed']): void {
    const request = pendingHistory.get(requestId);
    pendingHistory.delete(requestId);
    // "Load older" can be pressed again; a catch-up is asked for again at the next sync.
    if (request?.direction === 'before') actions().chatOlderFailed();
  }

  const unsubscribers = [
    engine.on('readyChanged', onReady),
    engine.on('messageAcked', ({ message }) => onAcked(message)),
    engine.on('messageReceived', ({ message }) => onReceived(message)),
    engine.on('historyReceived', onHistory),
    engine.on('historyFailed', onHistoryFailed),
    engine.on('messageRejected', onRejected),
    engine.on('historyCleared', ({ roomId }) => actions().chatHistoryCleared(roomId)),
    engine.on('typingReceived', (event) => {
      actions().chatTypingReceived(event, clock.now());
      schedulePrune();
    }),
  ];

  return {
    send(text) {
      const parsed = ChatText.safeParse(text);
      if (disposed || !parsed.success || chat().roomId === undefined) return false;
      actions().chatEnqueued({ clientId: deps.newClientId(), text: parsed.data, now: clock.now() });
      // The message ends this bout of typing; the next keystroke announces a new one.
      lastTypingSentAt = Number.NEGATIVE_INFINITY;
      persist();
      pump();
      return true;
    },
    retry(clientId) {
      actions().chatRetried(clientId);
      persist();
      pump();
    },
    discard(clientId) {
      actions().chatDiscarded(clientId);
      if (inFlight?.clientId === clientId) clearInFlight();
      persist();
      pump();
    },
    typing() {
      const roomId = ready();
      if (roomId === undefined) return;
      const now = clock.now();
      if (now - lastTypingSentAt < CHAT_TIMING.typingThrottleMs) return;
      if (engine.sendTyping(roomId)) lastTypingSentAt = now;
    },
    loadOlder() {
      const roomId = ready();
      const state = chat();
      const oldest = state.messages[0];
      if (roomId === undefined || state.loadingOlder || !state.hasMoreBefore || oldest === undefined) return;
      if (requestHistory(roomId, 'before', { beforeSeq: oldest.seq })) actions().chatOlderRequested();
    },
    dispose() {
      disposed = true;
      for (const unsubscribe of unsubscribers) unsubscribe();
      clearInFlight();
      clearRetry();
      clearTimer(pruneTimer);
    },
  };
}
