import type { RoomSettingsState } from '@parley/mesh';
import type { RoomId, UserId } from '@parley/protocol';
import type { StateCreator } from 'zustand/vanilla';

/** An invitation the owner asked for: its token goes into the invite link's fragment. */
export type RoomInvite = { roomId: RoomId; token: string; expiresAt: number };

/**
 * Who runs the room and what they decided: its owner, whether it has a
 * password (never the password itself), lock, listing, and who is muted for
 * everyone; plus the owner's latest invite. The server sends the settings
 * after every roster and every change.
 */
export type RoomSettingsSlice = {
  roomSettings: RoomSettingsState | undefined;
  roomInvite: RoomInvite | undefined;

  roomSettingsChanged(settings: RoomSettingsState): void;
  inviteCreated(invite: RoomInvite): void;
  /** The visit is over. */
  roomSettingsReset(): void;
};

const NOBODY: readonly UserId[] = [];

export const createRoomSettingsSlice: StateCreator<RoomSettingsSlice, [], [], RoomSettingsSlice> = (set) => ({
  roomSettings: undefined,
  roomInvite: undefined,

  roomSettingsChanged: (settings) =>
    set((s) => ({
      roomSettings: { ...settings, silenced: [...settings.silenced] },
      // An invite belongs to its room.
      roomInvite: s.roomInvite?.roomId === settings.roomId ? s.roomInvite : undefined,
    })),
  inviteCreated: (invite) => set({ roomInvite: { ...invite } }),
  roomSettingsReset: () => set({ roomSettings: undefined, roomInvite: undefined }),
});

/** Whoever the owner muted for everyone: nobody plays their audio. Stable between settings. */
export function selectSilenced(state: Pick<RoomSettingsSlice, 'roomSettings'>): readonly UserId[] {
  return state.roomSettings?.silenced ?? NOBODY;
}

/** Who runs the room now, if anyone. */
export function selectOwnerId(state: Pick<RoomSettingsSlice, 'roomSettings'>): UserId | undefined {
  return state.roomSettings?.ownerId;
}
