import { useEffect, useState } from 'react';
import { REVEAL_WAIT_MS, selectWayInSettled } from '../features/room/way-in';
import { useAppStore } from './store';

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
