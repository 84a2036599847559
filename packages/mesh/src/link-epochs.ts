/**
 * Link epochs: the number each RTCPeerConnection incarnation of a link
 * carries in its signals, so the peer can tell a newer incarnation from a
 * stale one (negotiation.ts, classifyEpoch). They must grow across a reload
 * too, when the page that made the old ones is gone: so they come from the
 * session generation the server announces in every welcome (one more than
 * the session the page resumed), not from the wall clock, which may have
 * been stepped back in between.
 *
 * epoch = BASE + generation * PER_GENERATION + n, where n counts the
 * incarnations this page made. BASE lies above any epoch the wall clock ever
 * gave (milliseconds since 1970 stay below 2^42 until the year 2109), so a
 * page still running the clock-based numbering sees these as newer. With
 * generations below 2^31 every epoch stays an exact integer (below 2^53).
 */
export const EPOCH_BASE = 2 ** 42;
export const EPOCHS_PER_GENERATION = 2 ** 21;

export function linkEpoch(generation: number, n: number): number {
  return EPOCH_BASE + generation * EPOCHS_PER_GENERATION + Math.min(n, EPOCHS_PER_GENERATION - 1);
}

/** Hands out strictly increasing epochs for one page, from the session generation it is in. */
export class LinkEpochs {
  private made = 0;
  private last = 0;

  constructor(private readonly generation: () => number) {}

  next(): number {
    this.made++;
    this.last = Math.max(this.last + 1, linkEpoch(this.generation(), this.made));
    return this.last;
  }
}
