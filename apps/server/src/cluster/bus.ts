import type { ServerMessage, UserId } from '@parley/protocol';
import type { RoomCommand } from '../rooms/commands';

/**
 * What nodes tell each other, in one order every node sees alike:
 * - `command`: a room command. Every node applies every command to its own
 *   copy of the rooms state (the pure room logic is deterministic), so every
 *   node holds the same rooms, rosters and owners, and each delivers the
 *   resulting messages to the participants connected to it.
 * - `deliver`: a message for participants connected to some other node (a
 *   chat message for the room, a reply): whoever holds them sends it.
 * Where each participant is connected (the node of their latest join or
 * resume) is derived from the commands too, so every node knows whose
 * participants to mark reconnecting when a node's lease runs out.
 * - `syncRequest` / `snapshot`: a node that starts while others run asks for
 *   the rooms state as of its request, and carries on from there.
 */
export type BusEvent =
  | {
      kind: 'command';
      command: RoomCommand;
      /** The node whose participant (or socket) the command came from. */
      node: string;
      /**
       * Apply only while the participant's latest join or resume came through
       * this node: a socket closing on a node they have since left behind (or a
       * node found dead after they moved) must not mark them reconnecting.
       * `null`: only while they are connected through no node (a node
       * restoring someone the others had lost, see cluster/reannounce.ts).
       */
      ifOn?: string | null;
    }
  | { kind: 'deliver'; to: readonly UserId[]; message: ServerMessage }
  | { kind: 'syncRequest'; requestId: string }
  | { kind: 'snapshot'; requestId: string; state: unknown };

export type CommandEvent = Extract<BusEvent, { kind: 'command' }>;

/** What the bus calls on this node. */
export type BusHandlers = {
  /** Every command and deliver event, in bus order, this node's own included. */
  event(event: Extract<BusEvent, { kind: 'command' | 'deliver' }>): void;
  /** The state to hand a node that is starting: called in bus order, so it is the state as of the request. */
  snapshot(): unknown;
  /**
   * The state other nodes had when this node asked, before any event after it
   * is applied. Returns the commands with which this node re-announces its own
   * participants where that state has them otherwise than this node had them
   * (none for a node that is starting); the bus publishes them before
   * anything else this node says.
   */
  restore(state: unknown): readonly CommandEvent[];
  /**
   * The stream began anew (Redis restarted empty): entries that not every
   * node had read are gone, and what they said to this node's participants
   * with them. Called on every node that was live; restore() follows on all
   * but the one whose state the others take.
   */
  streamLost?(): void;
};

/**
 * How the nodes of a cluster share one ordered stream of events. In memory
 * (memory-bus.ts) for the single process `pnpm start` runs; on Redis Streams
 * (redis-bus.ts) when PARLEY_REDIS_URL is set.
 */
export type Bus = {
  /** 'memory', or 'redis', as /healthz names it. */
  readonly kind: 'memory' | 'redis';
  /** This node's id, random per process. */
  readonly nodeId: string;
  /** Connects, catches up with the other nodes (a snapshot), then hands every event to `handlers`. */
  start(handlers: BusHandlers): Promise<void>;
  /**
   * Adds an event to the stream. Resolves once this node has handled it
   * (so the caller may read the state it made); rejects when the stream
   * cannot take it.
   */
  publish(event: Extract<BusEvent, { kind: 'command' | 'deliver' }>): Promise<void>;
  /** Whether the stream answers now (for /healthz); never rejects. */
  ping(): Promise<boolean>;
  /**
   * Which of `nodes` still hold their lease (a key each node renews while it
   * runs). Resolves undefined when it cannot tell (the bus is away): then
   * nobody is declared dead.
   */
  liveNodes(nodes: readonly string[]): Promise<Set<string> | undefined>;
  close(): Promise<void>;
};
