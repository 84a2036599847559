/**
 * Our microphone track for the screen to measure ("Your voice level"), as the
 * VoiceSession opens and releases it. A track is not data, so it lives here and
 * not in the store; a component subscribes to it (useSyncExternalStore).
 */
export class LocalMicrophone {
  private current: MediaStreamTrack | null = null;
  private readonly listeners = new Set<() => void>();

  /** The track we send, or null while no microphone is open. */
  readonly track = (): MediaStreamTrack | null => this.current;

  /** The session opened (or released, with undefined) the microphone. */
  set(stream: MediaStream | undefined): void {
    const next = stream?.getAudioTracks()[0] ?? null;
    if (next === this.current) return;
    this.current = next;
    for (const listener of [...this.listeners]) listener();
  }

  /** Bound, like `track`, so both go to useSyncExternalStore as they are. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };
}
