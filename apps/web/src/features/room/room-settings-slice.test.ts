import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { createRoomSettingsSlice, selectOwnerId, selectSilenced, type RoomSettingsSlice } from './room-settings-slice';

const friday = { roomId: 'friday', ownerId: 'u1', passwordRequired: false, locked: false, listed: false, silenced: ['u2'] };
const invite = { roomId: 'friday', token: 'signed.invite', expiresAt: 1_700_000_000_000 };

function store() {
  return createStore<RoomSettingsSlice>()(createRoomSettingsSlice);
}

describe('room settings slice', () => {
  it("follows the server's settings: owner, lock, listing, who is muted for everyone", () => {
    const s = store();
    expect(selectOwnerId(s.getState())).toBeUndefined();
    expect(selectSilenced(s.getState())).toEqual([]);
    s.getState().roomSettingsChanged(friday);
    s.getState().roomSettingsChanged({ ...friday, locked: true, silenced: [] });
    expect(s.getState().roomSettings).toEqual({ ...friday, locked: true, silenced: [] });
    expect(selectOwnerId(s.getState())).toBe('u1');
    expect(selectSilenced(s.getState())).toEqual([]);
  });

  it('keeps the latest invite while in its room, and forgets it all when the visit ends', () => {
    const s = store();
    s.getState().roomSettingsChanged(friday);
    s.getState().inviteCreated(invite);
    s.getState().roomSettingsChanged({ ...friday, listed: true });
    expect(s.getState().roomInvite).toEqual(invite);

    s.getState().roomSettingsReset();
    expect(s.getState()).toMatchObject({ roomSettings: undefined, roomInvite: undefined });
  });

  it('drops an invite for another room', () => {
    const s = store();
    s.getState().inviteCreated(invite);
    s.getState().roomSettingsChanged({ ...friday, roomId: 'saturday' });
    expect(s.getState().roomInvite).toBeUndefined();
  });
});
