import type { LinkQuality, LinkState } from '@parley/mesh';
import type { Participant, RoomId, UserId } from '@parley/protocol';
import type { StateCreator } from 'zustand/vanilla';

export type RoomStatus = 'idle' | 'joining' | 'joined';

export type RoomSlice = {
  roomId: RoomId | undefined;
  roomStatus: RoomStatus;
  /** Keyed by userId; `order` keeps join order and has no duplicates. */
  participants: Record<UserId, Participant>;
  order: UserId[];
  links: Record<UserId, LinkState>;
  speaking: Record<UserId, boolean>;
  /** The latest measure of each connected link, rounded to what the details view shows. */
  quality: Record<UserId, LinkQuality>;

  roomJoining(roomId: RoomId): void;
  /** A full roster from the server: on joining, and again after a reconnect. */
  roomJoined(event: { roomId: RoomId; participants: Participant[] }): void;
  /** The engine lost the room by itself (the server forgot it) and is joining it again. */
  roomInterrupted(): void;
  /** This tab no longer takes part (another tab took over): the roster stays, live state goes. */
  roomSuspended(): void;
  peerJoined(participant: Participant): void;
  peerUpdated(participant: Participant): void;
  peerLeft(userId: UserId): void;
  linkChanged(userId: UserId, state: LinkState): void;
  speakingChanged(userId: UserId, speaking: boolean): void;
  linkQualityMeasured(userId: UserId, quality: LinkQuality): void;
  roomLeft(): void;
};

const emptyRoom = {
  roomId: undefined,
  roomStatus: 'idle' as RoomStatus,
  participants: {},
  order: [],
  links: {},
  speaking: {},
  quality: {},
} satisfies Partial<RoomSlice>;

function without<T>(record: Record<UserId, T>, userId: UserId): Record<UserId, T> {
  if (!(userId in record)) return record;
  const { [userId]: _gone, ...rest } = record;
  return rest;
}

function onlyFor<T>(record: Record<UserId, T>, keep: Record<UserId, unknown>): Record<UserId, T> {
  return Object.fromEntries(Object.entries(record).filter(([userId]) => userId in keep));
}

export const createRoomSlice: StateCreator<RoomSlice, [], [], RoomSlice> = (set) => ({
  ...emptyRoom,

  roomJoining: (roomId) => set({ ...emptyRoom, roomId, roomStatus: 'joining' }),

  roomJoined: ({ roomId, participants }) =>
    set((s) => {
      const byId: Record<UserId, Participant> = {};
      const order: UserId[] = [];
      for (const participant of participants) {
        if (!(participant.userId in byId)) order.push(participant.userId);
        byId[participant.userId] = participant;
      }
      // After a reconnect the same people keep their link, voice activity and playback.
      return {
        roomId,
        roomStatus: 'joined',
        participants: byId,
        order,
        links: onlyFor(s.links, byId),
        speaking: onlyFor(s.speaking, byId),
        quality: onlyFor(s.quality, byId),
      };
    }),

  roomInterrupted: () =>
    // Keep the room on screen with the people last seen; the next roomJoined replaces them.
    set((s) => (s.roomStatus === 'idle' ? s : { roomStatus: 'joining', speaking: {} })),

  roomSuspended: () => set({ links: {}, speaking: {}, quality: {} }),

  peerJoined: (participant) =>
    set((s) => {
      if (s.roomStatus === 'idle') return s;
      // Someone already listed (back from reconnecting) is updated in place, never listed twice.
      const known = participant.userId in s.participants;
      return {
        participants: { ...s.participants, [participant.userId]: participant },
        order: known ? s.order : [...s.order, participant.userId],
      };
    }),

  peerUpdated: (participant) =>
    set((s) => {
      // An update for someone not in the roster (already left) must not bring them back.
      if (!(participant.userId in s.participants)) return s;
      return { participants: { ...s.participants, [participant.userId]: participant } };
    }),

  peerLeft: (userId) =>
    set((s) => ({
      participants: without(s.participants, userId),
      order: s.order.filter((id) => id !== userId),
      links: without(s.links, userId),
      speaking: without(s.speaking, userId),
      quality: without(s.quality, userId),
    })),

  linkChanged: (userId, state) =>
    set((s) => ({ links: state === 'closed' ? without(s.links, userId) : { ...s.links, [userId]: state } })),

  speakingChanged: (userId, speaking) =>
    set((s) => (s.speaking[userId] === speaking ? s : { speaking: { ...s.speaking, [userId]: speaking } })),

  linkQualityMeasured: (userId, quality) =>
    set((s) => {
      if (!(userId in s.participants)) return s;
      const shown = roundQuality(quality);
      const known = s.quality[userId];
      return known && sameQuality(known, shown) ? s : { quality: { ...s.quality, [userId]: shown } };
    }),

  roomLeft: () => set({ ...emptyRoom }),
});

function roundTo(value: number | undefined, step: number): number | undefined {
  return value === undefined ? undefined : Math.round(value / step) * step;
}

/** To the precision the details view shows, so a wobble below it does not re-render the tile. */
function roundQuality(quality: LinkQuality): LinkQuality {
  const rounded: LinkQuality = { ...quality };
  const fields = [
    ['roundTripMs', 1],
    ['lossPercent', 0.1],
    ['jitterMs', 1],
    ['sendBitrateBps', 100],
    ['receiveBitrateBps', 100],
  ] as const;
  for (const [field, step] of fields) {
    const value = roundTo(quality[field], step);
    if (value === undefined) delete rounded[field];
    else rounded[field] = Number(value.toFixed(1));
  }
  return rounded;
}

function sameQuality(a: LinkQuality, b: LinkQuality): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The roster in join order. Elements are the store's own objects (stable for useShallow). */
export function selectParticipants(state: Pick<RoomSlice, 'order' | 'participants'>): Participant[] {
  const list: Participant[] = [];
  for (const userId of state.order) {
    const participant = state.participants[userId];
    if (participant) list.push(participant);
  }
  return list;
}

export function selectIsSpeaking(userId: UserId) {
  return (state: Pick<RoomSlice, 'speaking'>): boolean => state.speaking[userId] === true;
}

export function selectLinkQuality(userId: UserId) {
  return (state: Pick<RoomSlice, 'quality'>): LinkQuality | undefined => state.quality[userId];
}

/** The grade alone: unlike the figures, it seldom changes between two measurements. */
export function selectLinkGrade(userId: UserId) {
  return (state: Pick<RoomSlice, 'quality'>): LinkQuality['grade'] | undefined => state.quality[userId]?.grade;
}

/**
 * Some link is being formed (someone joined, or we did): the page's main
 * thread belongs to the negotiation, and what only draws can wait.
 */
export function selectLinkForming(state: Pick<RoomSlice, 'links'>): boolean {
  return Object.values(state.links).some((link) => link === 'new' || link === 'connecting');
}

export function selectLinkState(userId: UserId) {
  return (state: Pick<RoomSlice, 'links'>): LinkState | undefined => state.links[userId];
}
