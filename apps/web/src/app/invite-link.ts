import { InviteToken, type RoomId } from '@parley/protocol';
import { parseRoute, roomPath } from './routes';

/** An invite link's token, for the room whose address carried it. */
export type Invitation = { roomId: RoomId; token: string };

const FRAGMENT_KEY = 'invite';

/** The link the owner shares: the room's address, with the token in the fragment (never sent to any server). */
export function inviteLink(origin: string, roomId: RoomId, token: string): string {
  return `${origin}${roomPath(roomId)}#${FRAGMENT_KEY}=${encodeURIComponent(token)}`;
}

/** The invitation in a room address's fragment (`/r/<room>#invite=…`), if it holds a well-formed one. */
export function invitationIn(location: Pick<Location, 'pathname' | 'hash'>): Invitation | undefined {
  const route = parseRoute(location.pathname);
  if (route.kind !== 'room') return undefined;
  const parsed = InviteToken.safeParse(fragmentToken(location.hash));
  return parsed.success ? { roomId: route.roomId, token: parsed.data } : undefined;
}

/**
 * Reads the invitation from the address bar and takes the fragment off it,
 * so that the token is not shared again with a copied address, bookmarked,
 * or kept in this entry of the history.
 */
export function takeInvitation(
  location: Pick<Location, 'pathname' | 'search' | 'hash'>,
  history: Pick<History, 'replaceState' | 'state'>,
): Invitation | undefined {
  const invitation = invitationIn(location);
  if (fragmentToken(location.hash) !== null) history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  return invitation;
}

function fragmentToken(hash: string): string | null {
  return new URLSearchParams(hash.replace(/^#/, '')).get(FRAGMENT_KEY);
}
