import { stopTracks } from './microphone';

export type MicrophoneWarmupDeps = {
  /** Opens the microphone as the settings now choose it (device, processing). */
  open(): Promise<MediaStream>;
  /** Whether asking now makes sense: false where the browser has blocked the microphone (Join then asks and explains). */
  mayAsk(): Promise<boolean>;
  /** The microphone could not be opened for the form: the form says why (as Join would). */
  failed?(error: unknown): void;
};

type Warm = { opening: Promise<MediaStream>; stream?: MediaStream; released: boolean };

/**
 * The microphone opened as soon as the join form shows (the browser asks
 * there, as Meet's and Jitsi's pre-join screens do), so the form can show
 * its level and let the user pick and hear it. It is the very stream Join
 * takes: Join finds it open, and the first offer already carries our audio
 * instead of waiting 100-200 ms for getUserMedia on a page busy with
 * joining. Where the browser has blocked the microphone nothing is opened:
 * that waits for the Join click, which explains the refusal.
 * Leaving the form without joining closes it again (release()).
 */
export class MicrophoneWarmup {
  private current: Warm | undefined;
  /** A permission check is under way; a take() or release() meanwhile cancels what it would open. */
  private checking: { cancelled: boolean } | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: MicrophoneWarmupDeps) {}

  /** The user is on the form: open the microphone unless it is open or opening already. */
  warm(): void {
    if (this.current || this.checking) return;
    const check = { cancelled: false };
    this.checking = check;
    void this.deps.mayAsk().then((mayAsk) => {
      if (this.checking === check) this.checking = undefined;
      if (!mayAsk || check.cancelled) return;
      this.open();
    });
  }

  /** The form's choice of microphone changed: open the new one, then close the old one. */
  reopen(): void {
    if (!this.current) return this.warm();
    const previous = this.current;
    this.open();
    void this.current?.opening.then(
      () => this.close(previous),
      () => this.close(previous),
    );
  }

  /** The live microphone track the form shows and plays, once open. */
  track(): MediaStreamTrack | undefined {
    return this.current?.stream?.getAudioTracks()[0];
  }

  /** Called whenever track() may have changed. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The microphone opened (or opening) on the form, if it is still live; it is the caller's from now on. */
  take(): Promise<MediaStream> | undefined {
    const warm = this.current;
    this.forget();
    if (!warm) return undefined;
    if (warm.stream && !isLive(warm.stream)) {
      stopTracks(warm.stream);
      return undefined;
    }
    return warm.opening;
  }

  /**
   * The form's microphone if it is open and live (it is the caller's from now on);
   * undefined, and nothing taken, while it is still opening or there is none.
   */
  takeOpen(): MediaStream | undefined {
    const stream = this.current?.stream;
    if (!stream || !isLive(stream)) return undefined;
    this.forget();
    return stream;
  }

  /** Close a microphone nobody took (the form was left). */
  release(): void {
    const warm = this.current;
    this.forget();
    if (warm) this.close(warm);
  }

  private open(): void {
    const warm: Warm = { opening: this.deps.open(), released: false };
    this.current = warm;
    warm.opening.then(
      (stream) => {
        if (warm.released) return stopTracks(stream);
        warm.stream = stream;
        if (this.current === warm) this.changed();
      },
      (error: unknown) => {
        if (this.current !== warm) return;
        this.current = undefined;
        this.changed();
        this.deps.failed?.(error);
      },
    );
  }

  private close(warm: Warm): void {
    warm.released = true;
    stopTracks(warm.stream);
  }

  private forget(): void {
    if (this.checking) this.checking.cancelled = true;
    this.checking = undefined;
    const had = this.current !== undefined;
    this.current = undefined;
    if (had) this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** No track of `stream` has ended (a microphone unplugged meanwhile ends its track). */
function isLive(stream: MediaStream): boolean {
  return stream.getTracks().every((track) => track.readyState !== 'ended');
}
