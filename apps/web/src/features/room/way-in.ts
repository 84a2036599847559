import type { LinkState } from '@parley/mesh';
import type { AppState } from '../../app/store';

/**
 * How long Join may keep the form up ("Joining…") while the links form; then
 * the room shows as it is (useRoomReveal), and React hears of the engine
 * again (appRenders' hold). On an idle machine the links are up well before
 * (about 100 ms). Six people pressing Join at once on two cores took 1.5-2 s
 * to form, and each page showing its room at 500 ms, mid-formation, made it
 * slower: median 2.1-2.3 s against 1.4-1.5 s with a wait of 1.5 s (bench/tmp
 * A/B of two web builds, 5 and 6 interleaved runs). On a busier machine six
 * at once took 3-9 s, and the room shown at 1.5 s was again mid-formation:
 * with 3 s, 3.2, 3.7 and 4.3 s against 9.2, 4.6 and 6.0 s (the baseline's
 * 4.3, 4.2 and 4.7 s; `BENCH_CANDIDATE_WEB_DIR`, 3 runs, load 7-20), and a
 * sixth joiner no faster and no slower (3.0 s against 3.1 s, medians).
 */
export const REVEAL_WAIT_MS = 3_000;

/**
 * Link states after which waiting longer for a link shows nothing new. Waiting
 * on past `connected` until the link's audio arrived (its remote track's
 * unmute, 1.5 s at most), so that the room's first render came after the last
 * path rather than beside it, was not faster: settled sixth joins 0.96x this
 * build's in one bench:ab run (medians of 10, 20 joins, load 5-24; faster in
 * 7 of 10 pairs) and 1.03x in the next (load 4-19; faster in 4 of 10).
 */
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
