/** What playback needs of an <audio> element; tests hand in fakes. */
export type PlayableLike = { play(): Promise<void> };

export type PlayOutcome = 'playing' | 'refused' | 'failed';

export type AudioPlaybackDeps = {
  /** The browser refused to start sound without a user gesture (autoplay policy). */
  refused(): void;
  /** Nothing is held back any more: every element that should play does. */
  resumed(): void;
  /** Any other play() failure: worth a log line, not a prompt. */
  failed(error: unknown): void;
};

/**
 * Starts remote audio and remembers which elements the browser refused to
 * play, so one user gesture ("Turn on sound") can start them all again.
 * Holds element references only; nothing here goes into the store.
 */
export type AudioPlayback = {
  /** Play an element that just got its stream; it is retried by resumeAll until removed. */
  start(element: PlayableLike): Promise<PlayOutcome>;
  /** The element is gone or has a new stream; forget it. */
  remove(element: PlayableLike): void;
  /** Call from a user gesture: play every element again. */
  resumeAll(): Promise<PlayOutcome>;
};

export function isAutoplayRefusal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && error.name === 'NotAllowedError';
}

/** play() never rejects out of here: every failure becomes an outcome. */
export async function tryPlay(element: PlayableLike, failed: (error: unknown) => void): Promise<PlayOutcome> {
  try {
    await element.play();
    return 'playing';
  } catch (error) {
    if (isAutoplayRefusal(error)) return 'refused';
    failed(error);
    return 'failed';
  }
}

export function createAudioPlayback(deps: AudioPlaybackDeps): AudioPlayback {
  const elements = new Set<PlayableLike>();
  const held = new Set<PlayableLike>();

  const settle = (element: PlayableLike, outcome: PlayOutcome): void => {
    // A late answer for an element that has since gone changes nothing.
    if (!elements.has(element)) return;
    if (outcome === 'refused') held.add(element);
    else held.delete(element);
  };

  const report = (): PlayOutcome => {
    if (held.size > 0) {
      deps.refused();
      return 'refused';
    }
    deps.resumed();
    return 'playing';
  };

  const playAll = async (targets: readonly PlayableLike[]): Promise<void> => {
    const outcomes = await Promise.all(targets.map((element) => tryPlay(element, deps.failed)));
    targets.forEach((element, i) => settle(element, outcomes[i] ?? 'failed'));
  };

  const resumeAll = async (): Promise<PlayOutcome> => {
    await playAll([...elements]);
    return report();
  };

  return {
    async start(element) {
      elements.add(element);
      const outcome = await tryPlay(element, deps.failed);
      settle(element, outcome);
      // Sound started by itself (the page has had a gesture since): the held ones may play now too.
      if (outcome === 'playing' && held.size > 0) await playAll([...held]);
      if (outcome !== 'failed') report();
      return outcome;
    },

    remove(element) {
      elements.delete(element);
      // The last held element left: nothing is silenced any more.
      if (held.delete(element) && held.size === 0) deps.resumed();
    },

    resumeAll,
  };
}
