import type { ListedRoom, RoomId, ServerMessage, UserId } from '@parley/protocol';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { Bus, BusEvent, CommandEvent } from '../cluster/bus';
import { startLeaseWatch } from '../cluster/lease-watch';
import { createMemoryBus } from '../cluster/memory-bus';
import { createParticipantNodes } from '../cluster/participant-nodes';
import { reannounce } from '../cluster/reannounce';
import { decodeRoomsState, encodeRoomsState } from '../cluster/state-codec';
import type { RoomSettingsStore } from '../store/room-settings-store';
import { applyCommand } from './apply-command';
import type { RoomCommand } from './commands';
import { roomsTouched, settingsEffects, settingsOf } from './settings-effects';
import { emptyRoomsState, othersIn, ownerOf, participantOf, roster, type RoomPolicy, type RoomsState } from './state';

export type Deliver = (to: readonly UserId[], message: ServerMessage) => void;

/**
 * After Redis came back empty (cluster/redis-bus.ts), pages may show rosters
 * that the lost entries, or this node's taking the others' state, made
 * wrong. The nodes' re-announcements arrive within about a second; then each
 * page gets its room's roster afresh, which it takes in place of its own
 * (and, having a fresh roster, fetches the chat it lacks).
 */
export const ROSTER_REFRESH_AFTER_RESTORE_MS = 1_500;

export type RoomService = {
  /**
   * Runs `command` through the bus: every node applies it (this one inside
   * the call when the bus is in memory). Resolves true once this node has
   * applied it, false when the bus would not take it (logged); never rejects.
   */
  dispatch(command: RoomCommand): Promise<boolean>;
  /**
   * Delivers `message` to each of `to` wherever they are connected: here at
   * once, on other nodes through the bus. Room commands need not: every node
   * delivers their messages to its own participants.
   */
  deliverAnywhere: Deliver;
  /** Resolves once the bus has caught up with the other nodes; dispatch before it fails. */
  readonly ready: Promise<void>;
  /** The room `userId` is a member of (online or reconnecting), if any. */
  roomOf(userId: UserId): RoomId | undefined;
  /** Everyone in `roomId` but `userId`, reconnecting members included, in join order. */
  othersIn(roomId: RoomId, userId: UserId): UserId[];
  /** Everyone in `roomId`, in join order; empty for a room nobody is in. */
  membersOf(roomId: RoomId): UserId[];
  /** The name `userId` is listed under in their room ("Alice (2)" where two Alices are in it). */
  nameOf(userId: UserId): string | undefined;
  /** Who runs `roomId` now (see ownerOf in state.ts); undefined for a room nobody is in. */
  ownerOf(roomId: RoomId): UserId | undefined;
  /**
   * The policy `roomId` is under: in memory while people are in it, else as
   * stored (the one read that may wait for the store); undefined for a room
   * never created. Rejects when the store fails.
   */
  policyOf(roomId: RoomId): Promise<RoomPolicy | undefined>;
  /** Whether people are in `roomId` now. */
  isActive(roomId: RoomId): boolean;
  /** The ids of the rooms people are in now. */
  activeRoomIds(): Set<RoomId>;
  /** The listed rooms with who is in them, for the lobby; unlisted rooms never appear. */
  listedRooms(): ListedRoom[];
  /** Calls `listener` after every command that changed the rooms; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
  counts(): { rooms: number; participants: number };
  /** Cancels pending grace timers; for shutdown. */
  stop(): void;
  /** Resolves once every settings write started so far has finished, stored or failed (for shutdown). */
  writesSettled(): Promise<void>;
};

export type RoomServiceDeps = {
  /** Sends to the participants connected to this node; others are skipped. */
  deliver: Deliver;
  /** Whether `userId` is connected to this node. Without it, everyone counts as here (one node). */
  isLocal?(userId: UserId): boolean;
  /** How nodes share commands; in memory (this process alone) when not given. */
  bus?: Bus;
  /** `userId`, connected here, joined or resumed through another node: this node's socket for them no longer speaks for them. */
  movedAway?(userId: UserId): void;
  logger: Logger;
  clock: Clock;
  /** How long a 'reconnecting' participant keeps their place before `expire` removes them. */
  graceMs: number;
  /** Where room policies (owner key, password, lock, listing) live between visits. */
  policies: RoomSettingsStore;
};

/**
 * Holds the rooms state and runs commands through the pure room logic, handing
 * every resulting message to `deliver`. Knows nothing about sockets. Runs the
 * grace timers: one per 'reconnecting' participant, started when they turn
 * reconnecting and cancelled when they are online again or gone.
 */
export function createRoomService(deps: RoomServiceDeps): RoomService {
  let state: RoomsState = emptyRoomsState;
  const graceTimers = new Map<UserId, () => void>();

  const cancelGrace = (userId: UserId): void => {
    graceTimers.get(userId)?.();
    graceTimers.delete(userId);
  };

  /** Makes the timers match the state for `userId` after a command. */
  const reconcileGrace = (userId: UserId): void => {
    const reconnecting = participantOf(state, userId)?.presence === 'reconnecting';
    if (!reconnecting) return cancelGrace(userId);
    if (graceTimers.has(userId)) return;
    const cancel = deps.clock.setTimeout(() => {
      graceTimers.delete(userId);
      // Every node runs this timer and sends the expiry; the first one applied removes them, the rest change nothing.
      void dispatch({ kind: 'expire', userId });
    }, deps.graceMs);
    graceTimers.set(userId, cancel);
  };

  const listeners = new Set<() => void>();
  const writes = new Set<Promise<void>>();

  /**
   * A room's policy goes to the store when it is made or changed, and again
   * when the room empties, with its last activity: that also mends a change
   * whose write failed while people were in the room (the store was away).
   * Every node writes what it applies; the store keeps the highest revision,
   * so the order in which nodes' writes land does not matter.
   */
  const persist = (before: RoomsState, command: RoomCommand): void => {
    // Only the rooms the command touched: a voice toggle must not walk every room on the server.
    for (const roomId of roomsTouched(before, state, command)) {
      const was = before.rooms.get(roomId);
      const is = state.rooms.get(roomId);
      const policy = is ? (is.policy !== was?.policy ? is.policy : undefined) : was?.policy;
      if (policy === undefined) continue;
      const write = deps.policies
        .put({ roomId, ...policy, lastActiveAt: deps.clock.now() })
        // The rooms in memory are still right; the store has the older policy until the room empties.
        .catch((err: unknown) => deps.logger.error({ err, roomId }, 'storing a room policy failed'));
      writes.add(write);
      void write.then(() => writes.delete(write));
    }
  };

  const apply = (command: RoomCommand): void => {
    const before = state;
    const next = applyCommand(state, command);
    state = next.state;
    logTransition(deps.logger, command, before, state);
    if (command.kind !== 'signal') reconcileGrace(command.userId);
    if (command.kind === 'remove') reconcileGrace(command.target);
    const changed = state !== before;
    if (changed) persist(before, command);
    // A roster sent again (a second join, a resume) comes with the settings even when nothing changed.
    for (const effect of [...next.effects, ...settingsEffects(before, state, command)]) deps.deliver(effect.to, effect.message);
    if (changed) for (const listener of listeners) listener();
  };

  const bus = deps.bus ?? createMemoryBus();
  const isLocal = deps.isLocal ?? (() => true);
  const nodes = createParticipantNodes();
  const inRoom = (userId: UserId): boolean => state.roomOf.has(userId);
  const applyFromBus = (event: Extract<BusEvent, { kind: 'command' }>): void => {
    const { command, node } = event;
    if (command.kind !== 'signal' && !nodes.accepts(command.userId, event.ifOn)) return;
    apply(command);
    const left = nodes.applied(command, node, inRoom);
    if (left === bus.nodeId && command.kind !== 'signal') deps.movedAway?.(command.userId);
  };
  const onBusEvent = (event: Extract<BusEvent, { kind: 'command' | 'deliver' }>): void => {
    try {
      if (event.kind === 'command') applyFromBus(event);
      else deps.deliver(event.to.filter(isLocal), event.message);
    } catch (err) {
      deps.logger.error({ err, event: event.kind }, 'applying a bus event failed');
    }
  };
  let stopped = false;
  let cancelRosterRefresh = (): void => {};
  /** Every participant connected here gets their room's roster and settings as they stand now. */
  const refreshRosters = (): void => {
    for (const room of state.rooms.values()) {
      for (const userId of room.participants.keys()) {
        if (!isLocal(userId)) continue;
        deps.deliver([userId], { type: 'room.joined', roomId: room.id, selfId: userId, participants: roster(room) });
        deps.deliver([userId], settingsOf(room));
      }
    }
  };
  /** Pages get fresh rosters once the re-announcements have had time to land; a fresh roster also has them fetch the chat they missed. */
  const scheduleRosterRefresh = (): void => {
    cancelRosterRefresh();
    cancelRosterRefresh = deps.clock.setTimeout(refreshRosters, ROSTER_REFRESH_AFTER_RESTORE_MS);
  };
  /**
   * Another node's state in place of this one's: at start (this node had
   * nothing), or after Redis lost commands some nodes had read and others had
   * not. Then this node re-announces its own participants where the new state
   * has them otherwise (cluster/reannounce.ts), and refreshes its pages' rosters.
   */
  const restore = (snapshot: unknown): CommandEvent[] => {
    const { rooms, nodes: where } = snapshot as { rooms: unknown; nodes: Array<[UserId, string]> };
    const mine = { rooms: state, nodes: new Map(nodes.snapshot()) };
    state = decodeRoomsState(rooms);
    nodes.restore(where);
    for (const userId of new Set([...mine.rooms.roomOf.keys(), ...state.roomOf.keys()])) reconcileGrace(userId);
    for (const listener of listeners) listener();
    const said = reannounce(bus.nodeId, mine, { rooms: state, nodes: new Map(where) });
    if (mine.rooms.roomOf.size > 0) {
      deps.logger.warn({ reannounced: said.length }, 'took the rooms state of the other nodes; re-announcing our own participants where it differs');
      scheduleRosterRefresh();
    }
    return said.map(({ command, ifOn }) => ({ kind: 'command', command, node: bus.nodeId, ifOn }));
  };
  const ready = bus.start({
    event: onBusEvent,
    snapshot: () => ({ rooms: encodeRoomsState(state), nodes: nodes.snapshot() }),
    restore,
    streamLost: scheduleRosterRefresh,
  });
  const stopLeaseWatch =
    bus.kind === 'memory'
      ? () => undefined
      : startLeaseWatch({
          bus,
          nodes,
          isOnline: (userId) => participantOf(state, userId)?.presence === 'online',
          disconnect: (userId, ifOn) => void dispatch({ kind: 'disconnect', userId }, ifOn),
          clock: deps.clock,
          logger: deps.logger,
        });

  /**
   * A disconnect concerns the node it comes from: a socket closing on a node
   * the participant has since left behind changes nothing.
   */
  async function dispatch(command: RoomCommand, ifOn: string | undefined = command.kind === 'disconnect' ? bus.nodeId : undefined): Promise<boolean> {
    try {
      await bus.publish({ kind: 'command', command, node: bus.nodeId, ...(ifOn === undefined ? {} : { ifOn }) });
      return true;
    } catch (err) {
      // Shutting down: the bus closes after the sockets, whose last disconnects it may not have read back.
      if (stopped) deps.logger.debug({ err, command: command.kind }, 'the bus closed before a room command was read back');
      else deps.logger.error({ err, command: command.kind }, 'the bus did not take a room command');
      return false;
    }
  }

  const deliverAnywhere: Deliver = (to, message) => {
    const here = to.filter(isLocal);
    if (here.length > 0) deps.deliver(here, message);
    const elsewhere = to.filter((userId) => !isLocal(userId));
    if (elsewhere.length === 0 || bus.kind === 'memory') return;
    bus.publish({ kind: 'deliver', to: elsewhere, message }).catch((err: unknown) => {
      deps.logger.warn({ err, type: message.type }, 'the bus did not take a delivery for another node');
    });
  };

  return {
    dispatch,
    deliverAnywhere,
    ready,
    roomOf: (userId) => state.roomOf.get(userId),
    othersIn: (roomId, userId) => {
      const room = state.rooms.get(roomId);
      return room ? othersIn(room, userId) : [];
    },
    membersOf: (roomId) => [...(state.rooms.get(roomId)?.participants.keys() ?? [])],
    nameOf: (userId) => participantOf(state, userId)?.displayName,
    ownerOf: (roomId) => {
      const room = state.rooms.get(roomId);
      return room ? ownerOf(room) : undefined;
    },
    async policyOf(roomId) {
      const room = state.rooms.get(roomId);
      if (room) return room.policy;
      const stored = await deps.policies.get(roomId);
      // Someone may have come into the room while the store answered: then memory is the truth.
      const now = state.rooms.get(roomId);
      if (now) return now.policy;
      if (!stored) return undefined;
      const { ownerKeyHash, passwordHash, locked, listed, revision } = stored;
      return { ownerKeyHash, passwordHash, locked, listed, revision };
    },
    isActive: (roomId) => state.rooms.has(roomId),
    activeRoomIds: () => new Set(state.rooms.keys()),
    listedRooms: () =>
      [...state.rooms.values()]
        .filter((room) => room.policy.listed)
        .map((room) => ({
          roomId: room.id,
          people: [...room.participants.values()].map((p) => p.displayName),
          passwordRequired: room.policy.passwordHash !== null,
          locked: room.policy.locked,
        })),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    counts: () => ({ rooms: state.rooms.size, participants: state.roomOf.size }),
    stop() {
      stopped = true;
      stopLeaseWatch();
      cancelRosterRefresh();
      for (const userId of [...graceTimers.keys()]) cancelGrace(userId);
    },
    async writesSettled() {
      await Promise.all([...writes]);
    },
  };
}

function logTransition(logger: Logger, command: RoomCommand, before: RoomsState, after: RoomsState): void {
  if (command.kind === 'signal') {
    // Signals carry SDP and ICE candidates, which carry IP addresses: trace only.
    logger.trace({ userId: command.from, to: command.to, signal: command.signal }, 'signal');
    return;
  }
  const userId = command.userId;
  const from = before.roomOf.get(userId);
  const to = after.roomOf.get(userId);
  const presenceBefore = participantOf(before, userId)?.presence;
  const presenceAfter = participantOf(after, userId)?.presence;
  if (from !== to) {
    logger.info({ userId, roomId: to ?? from, command: command.kind }, `room ${from ?? '(none)'} -> ${to ?? '(none)'}`);
  } else if (presenceBefore !== presenceAfter) {
    logger.info({ userId, roomId: to, command: command.kind }, `presence ${presenceBefore ?? '(none)'} -> ${presenceAfter ?? '(none)'}`);
  } else {
    logger.debug({ userId, roomId: to, command: command.kind }, 'room command');
  }
}
