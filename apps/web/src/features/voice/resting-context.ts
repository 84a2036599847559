/**
 * An AudioContext that runs only while something holds it (`holdRunning`)
 * and rests, suspended by the page, otherwise: a running context costs its
 * rendering threads whether or not anything is heard. Made on first use by
 * `make`. A context the browser holds back (made before the page had a user
 * gesture) is not resting: a hold never starts it; a gesture does
 * (audio-context.ts, resumeAudio).
 */
export type RestingContext = {
  /** The context, made now if it was not yet. */
  context(): AudioContext | undefined;
  /** The context if it was made, without making it. */
  made(): AudioContext | undefined;
  /** Keeps the context running until the returned release is called (once is enough). */
  holdRunning(): () => void;
  /** The context is suspended by the page, which may run it whenever something is to be heard. */
  resting(): boolean;
};

export function restingContext(make: () => AudioContext): RestingContext {
  let shared: AudioContext | undefined;
  let holds = 0;
  let rests = false;

  function settle(): void {
    const context = shared;
    if (!context) return;
    if (holds === 0 && !rests && context.state === 'running') {
      rests = true;
      void context.suspend().catch(() => undefined);
    } else if (holds > 0 && rests) {
      rests = false;
      void context.resume().catch(() => undefined);
    }
  }

  return {
    context() {
      if (typeof AudioContext === 'undefined') return undefined;
      if (!shared) {
        shared = make();
        // Started by a gesture with nothing to play, it rests.
        shared.addEventListener('statechange', settle);
        // Whoever made it is about to hold it (a sound, a boost): not suspended in between.
        queueMicrotask(settle);
      }
      return shared;
    },
    made: () => shared,
    holdRunning() {
      holds++;
      settle();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holds--;
        settle();
      };
    },
    resting: () => rests,
  };
}
