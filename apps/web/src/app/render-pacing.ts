/**
 * When React hears about a change of the store.
 *
 * A change the user made (a click, a keystroke) renders at once, as React
 * does by itself. A change the engine made (a roster, a link state, someone
 * speaking) is different: it arrives in the middle of a burst of signaling
 * (offers, answers and candidates that other people are waiting for), and a
 * store that notifies React synchronously makes React render in a microtask
 * right behind it, ahead of the next message. Measured on a two-core machine
 * while six people formed a room: the joiner's page spent 40 ms of the first
 * 110 ms after Join rendering, one render per engine event, each in front of
 * a signal. So the engine's changes are written to the store at once (every
 * other reader sees them synchronously) but React is told later, once for
 * all the changes made meanwhile, in a task of background priority: the
 * signals queued behind it go first, and ten events make one render
 * (inBackground: the screen is at most BACKGROUND_WAIT_MS late when the page
 * never goes idle enough for a background task).
 *
 * What React reads is the state it was last told of, not the store's latest.
 * A render that yields (a deferred one, as the room's reveal is) checks at
 * its end that the store did not change under it, and when it did, React
 * throws that render away and does it again in one blocking piece: during a
 * join, when an engine event lands every few milliseconds, that was every
 * time (profiled on a sixth joiner's page: the room's reveal ran as one
 * task of 1.6 s, with the offers' answers and candidates queued behind it).
 * The state React is told of changes only when it is told, so a render in
 * between sees one state from start to end, and yields as it should.
 */
import { inBackground } from './background-task';

/** As zustand calls its listeners: the state now, and the state they last heard of. */
type Listener<S> = (state: S, previous: S) => void;

/** What React's useSyncExternalStore (and zustand's useStore) need of a store. */
export type RenderSource<S> = {
  getState(): S;
  getInitialState(): S;
  subscribe(listener: Listener<S>): () => void;
};

/** The listeners of one view, and the view itself: what it says the state is, and who hears of changes. */
function audience<S>(getState: () => S, getInitialState: () => S) {
  const listeners = new Set<Listener<S>>();
  const source: RenderSource<S> = {
    getState,
    getInitialState,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
  const tell = (state: S, previous: S) => {
    for (const listener of [...listeners]) listener(state, previous);
  };
  return { source, tell };
}

export type RenderPacing<S> = {
  /** Give this to React: the store as components subscribe to it. */
  readonly source: RenderSource<S>;
  /** Runs `work` (an engine event landing in the store); React hears of its changes later, together. */
  offstage<T>(work: () => T): T;
  /**
   * Runs `work` (a click that changes the store many times over, as Join
   * does); React hears of its changes once, when it returns. Each change told
   * on its own asks every subscribed component for its slice again.
   */
  together<T>(work: () => T): T;
};

export type PacingOptions<S> = {
  /** Runs a flush later; a background task by default. */
  schedule?: (flush: () => void) => void;
  /**
   * While `when(state)` holds, the engine's changes wait, for at most
   * `atMostMs` in a row (App's join: while the links form behind the join
   * form and nothing on screen shows them). A change of the user's still
   * renders at once.
   */
  hold?: { when: (state: S) => boolean; atMostMs: number };
};

export function paceRenders<S>(store: RenderSource<S>, options: PacingOptions<S> = {}): RenderPacing<S> {
  const schedule = options.schedule ?? inBackground;
  const { hold } = options;
  /** What React was last told the state is: all it reads, until it is told again. */
  let told = store.getState();
  const { source, tell } = audience(() => told, () => store.getInitialState());
  const depth = { offstage: 0, together: 0 };
  /** A change React has not heard of is waiting for the flush (or together()'s end). */
  let unheard = false;
  /** Since when the hold has held (performance.now()), while it does. */
  let holdingSinceMs: number | undefined;
  /** A flush found the hold on and stands down until the next change (which may end it) or the hold's bound. */
  let flushHeld = false;

  /** Milliseconds the hold has left, or 0 when it does not hold. */
  const holdLeftMs = (): number => {
    if (!hold?.when(store.getState())) {
      holdingSinceMs = undefined;
      return 0;
    }
    holdingSinceMs ??= performance.now();
    return Math.max(0, hold.atMostMs - (performance.now() - holdingSinceMs));
  };
  /** Tells React the state is `state`; what it heard before is what it was last told. */
  const notify = (state: S) => {
    const previous = told;
    unheard = false;
    flushHeld = false;
    told = state;
    tell(state, previous);
  };
  const flush = () => {
    if (!unheard) return;
    const leftMs = holdLeftMs();
    if (leftMs === 0) return notify(store.getState());
    if (flushHeld) return;
    flushHeld = true;
    setTimeout(() => {
      if (!flushHeld) return;
      flushHeld = false;
      flush();
    }, leftMs);
  };
  const within = <T>(kind: keyof typeof depth, work: () => T): T => {
    depth[kind] += 1;
    try {
      return work();
    } finally {
      depth[kind] -= 1;
    }
  };

  // One store subscription for all of React; its listeners are told now or at the flush.
  store.subscribe((state) => {
    if (depth.together > 0) {
      // together() tells React when it returns, the engine's changes made meanwhile included.
      unheard = true;
      return;
    }
    if (depth.offstage > 0) {
      if (!unheard) {
        unheard = true;
        schedule(flush);
      } else if (flushHeld && holdLeftMs() === 0) {
        flushHeld = false;
        schedule(flush);
      }
      return;
    }
    // A change of the user's renders now, and with it whatever the engine changed meanwhile.
    notify(state);
  });

  return {
    source,
    offstage: (work) => within('offstage', work),
    together(work) {
      try {
        return within('together', work);
      } finally {
        // The user's changes: now, hold or not.
        if (depth.together === 0 && unheard) notify(store.getState());
      }
    },
  };
}

/** A view of the store for a part of the page that is kept hidden for a while; see hiddenWhileEntering. */
export type HideableView<S> = {
  /** Stable: give it to the hidden part (App's StoreSourceProvider). */
  readonly source: RenderSource<S>;
  /** Whether the part is on screen now; once shown, it hears every change again. */
  setShown(shown: boolean): void;
  /** What setShown last said. */
  readonly shown: boolean;
};

/**
 * `source` as a part of the page sees it that is rendered ahead, hidden, and
 * revealed later (App's room, behind the join form): while it is hidden and
 * `entering(state)` holds, it sees the store as it was just before and hears
 * of nothing, so nothing re-renders it; shown (or no longer entering), it
 * hears everything that changed meanwhile, once. The view's identity never
 * changes: swapping one context value for another would itself re-render
 * every reader, at the worst moment.
 */
export function hiddenWhileEntering<S>(source: RenderSource<S>, entering: (state: S) => boolean): HideableView<S> {
  let shown = false;
  /** Set while frozen: the state the hidden part was last told of. */
  let frozen: { state: S } | undefined;
  const { source: view, tell } = audience(
    () => (frozen ? frozen.state : source.getState()),
    () => source.getInitialState(),
  );

  const thaw = (state: S, previous: S) => {
    const before = frozen ? frozen.state : previous;
    frozen = undefined;
    tell(state, before);
  };

  source.subscribe((state, previous) => {
    if (!shown && entering(state)) {
      frozen ??= { state: previous };
      return;
    }
    thaw(state, previous);
  });

  return {
    source: view,
    setShown(next) {
      shown = next;
      if (frozen && (shown || !entering(source.getState()))) thaw(source.getState(), frozen.state);
    },
    get shown() {
      return shown;
    },
  };
}
