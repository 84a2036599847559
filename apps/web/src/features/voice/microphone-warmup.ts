import { stopTracks } from './microphone';

type Timers = {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

export type MicrophoneWarmupDeps = {
  open(): Promise<MediaStream>;
  /** Whether the browser opens the microphone without a prompt; only then is it opened ahead of Join. */
  allowed(): Promise<boolean>;
  timers?: Timers;
};

/** A microphone opened ahead of Join and not taken within this long is closed again. */
export const WARM_MICROPHONE_HOLD_MS = 30_000;

/**
 * The microphone opened while the user is still on the join form (typing a
 * name), where the browser allowed it before and so asks nothing: Join then
 * finds it open, and the first offer already carries our audio instead of
 * waiting 100-200 ms for getUserMedia on a page busy with joining. Nothing is
 * opened where a prompt would appear: that waits for the Join click, as before.
 * An unused microphone is closed after WARM_MICROPHONE_HOLD_MS without
 * another keystroke, so the recording indicator does not linger.
 */
type Warm = { opening: Promise<MediaStream>; stream?: MediaStream; released: boolean };

export class MicrophoneWarmup {
  private current: Warm | undefined;
  /** A permission check is under way; a take() or release() meanwhile cancels what it would open. */
  private checking: { cancelled: boolean } | undefined;
  private holdTimer: unknown;
  private readonly timers: Timers;

  constructor(private readonly deps: MicrophoneWarmupDeps) {
    this.timers = deps.timers ?? { setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms), clearTimeout: (h) => globalThis.clearTimeout(h as number) };
  }

  /** The user is on the form: open the microphone if it opens silently, and keep it a while longer. */
  warm(): void {
    this.hold();
    if (this.current || this.checking) return;
    const check = { cancelled: false };
    this.checking = check;
    void this.deps.allowed().then((allowed) => {
      if (this.checking === check) this.checking = undefined;
      if (!allowed || check.cancelled) return;
      const warm: Warm = { opening: this.deps.open(), released: false };
      this.current = warm;
      warm.opening.then(
        (stream) => {
          if (warm.released) stopTracks(stream);
          else warm.stream = stream;
        },
        () => {
          if (this.current === warm) this.current = undefined;
        },
      );
    });
  }

  /** The microphone opened (or opening) ahead of Join, if it is still live; it is the caller's from now on. */
  take(): Promise<MediaStream> | undefined {
    const warm = this.current;
    this.forget();
    if (!warm) return undefined;
    if (warm.stream && warm.stream.getTracks().some((track) => track.readyState === 'ended')) {
      stopTracks(warm.stream);
      return undefined;
    }
    return warm.opening;
  }

  /** Close a microphone nobody took. */
  release(): void {
    const warm = this.current;
    this.forget();
    if (!warm) return;
    warm.released = true;
    stopTracks(warm.stream);
  }

  private forget(): void {
    if (this.checking) this.checking.cancelled = true;
    this.checking = undefined;
    this.current = undefined;
    if (this.holdTimer !== undefined) this.timers.clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
  }

  private hold(): void {
    if (this.holdTimer !== undefined) this.timers.clearTimeout(this.holdTimer);
    this.holdTimer = this.timers.setTimeout(() => {
      this.holdTimer = undefined;
      this.release();
    }, WARM_MICROPHONE_HOLD_MS);
  }
}
