import { useEffect, useState } from 'react';
import { selectWayInSettled } from '../features/room/way-in';
import { useAppStore } from './store';

/**
 * How long Join may keep the form up ("Joining…") while the links form; then
 * the room shows as it is. On an idle machine the links are up well before
 * (about 100 ms). Six people pressing Join at once on two cores took 1.5-2 s
 * to form, and each page showing its room at 500 ms, mid-formation, made it
 * slower: median 2.1-2.3 s against 1.4-1.5 s with this wait (bench/tmp A/B of
 * two web builds, 5 and 6 interleaved runs); a sixth joiner was no faster
 * and no slower.
 */
export const REVEAL_WAIT_MS = 1_500;

/**
 * Whether to show the room we are entering: once the way in has settled
 * (see selectWayInSettled) or REVEAL_WAIT_MS after Join, whichever is first,
 * and from then on for as long as we are in it (a link that drops later does
 * not hide the room). Showing the room is the biggest piece of work a Join
 * causes on the page; done while the first offers, answers and candidates
 * wait for the same main thread, it made the first audio 100 ms later on a
 * busy two-core machine (measured), and nobody can hear anyone before then.
 */
export function useRoomReveal(entering: boolean): boolean {
  const settled = useAppStore(selectWayInSettled);
  const [revealed, setRevealed] = useState(false);
  useEffect(() => {
    if (!entering) {
      setRevealed(false);
      return;
    }
    if (settled) {
      setRevealed(true);
      return;
    }
    const timer = setTimeout(() => setRevealed(true), REVEAL_WAIT_MS);
    return () => clearTimeout(timer);
  }, [entering, settled]);
  return entering && revealed;
}
