import type { RoomSettingsState } from '@parley/mesh';
import type { RoomSettingsChange } from '@parley/protocol';

/**
 * The owner's edits in the settings dialog. The password field starts empty
 * (the server never sends the password back), so an empty field means "leave
 * it as it is"; removing the password takes the explicit "Remove password".
 * `locked` and `listed` are undefined until the owner touches them.
 */
export type SettingsDraft = { password: string; removePassword: boolean; locked?: boolean; listed?: boolean };

export const UNTOUCHED: SettingsDraft = { password: '', removePassword: false };

type Current = Pick<RoomSettingsState, 'passwordRequired' | 'locked' | 'listed'>;

/** What Save sends: only what differs from the room's current settings. */
export function changeFrom(draft: SettingsDraft, current: Current): RoomSettingsChange {
  const change: RoomSettingsChange = {};
  if (draft.removePassword && current.passwordRequired) change.password = null;
  else if (draft.password !== '') change.password = draft.password;
  if (draft.locked !== undefined && draft.locked !== current.locked) change.locked = draft.locked;
  if (draft.listed !== undefined && draft.listed !== current.listed) change.listed = draft.listed;
  return change;
}

export function isNoChange(change: RoomSettingsChange): boolean {
  return change.password === undefined && change.locked === undefined && change.listed === undefined;
}
