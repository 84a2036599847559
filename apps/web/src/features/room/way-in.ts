import type { LinkState } from '@parley/mesh';
import type { AppState } from '../../app/store';

/** Link states after which waiting longer for a link shows nothing new. */
const SETTLED: ReadonlySet<LinkState> = new Set(['connected', 'failed', 'closed']);

/**
 * Whether joining has done what it can: the server put us in the room, and
 * every other participant who is online is connected to us (or definitely
 * not). Until then the page keeps its hands off the main thread the offers,
 * answers and candidates are waiting for (see App).
 */
export function selectWayInSettled(state: Pick<AppState, 'roomStatus' | 'selfId' | 'order' | 'participants' | 'links'>): boolean {
  if (state.roomStatus !== 'joined') return false;
  return state.order.every((userId) => {
    if (userId === state.selfId || state.participants[userId]?.presence !== 'online') return true;
    return SETTLED.has(state.links[userId] ?? 'new');
  });
}
