import { LIMITS, type ErrorCode } from '@parley/protocol';
import type { Admission } from './commands';
import type { Room, RoomPolicy } from './state';

export type AdmissionDecision = { ok: true; keyHolder: boolean } | { ok: false; code: ErrorCode; message: string };

/**
 * Whether someone who is not in `room` gets in, given its policy and what the
 * join gate found their credentials worth. In order: a removed identity never;
 * a full room never; the owner key always; a locked room nobody else; an open
 * room everyone; a password room the holders of an invite or the password.
 */
export function admit(room: Room | undefined, policy: RoomPolicy, userId: string, admission: Admission): AdmissionDecision {
  if (room?.removed.has(userId)) return { ok: false, code: 'removed', message: 'the owner removed you from this room' };
  if (room && room.participants.size >= LIMITS.maxRoomSize) {
    return { ok: false, code: 'room_full', message: `room ${room.id} already has ${LIMITS.maxRoomSize} participants` };
  }
  if (admission.ownerKey) return { ok: true, keyHolder: true };
  if (policy.locked) return { ok: false, code: 'room_locked', message: 'this room is locked: nobody new can join' };
  if (policy.passwordHash === null) return { ok: true, keyHolder: false };
  if (admission.invite === 'valid' || admission.password === 'right') return { ok: true, keyHolder: false };
  if (admission.password === 'wrong') return { ok: false, code: 'wrong_password', message: 'wrong password for this room' };
  if (admission.invite === 'invalid') return { ok: false, code: 'invite_invalid', message: 'the invite is invalid or has expired' };
  return { ok: false, code: 'password_required', message: 'this room needs a password' };
}
