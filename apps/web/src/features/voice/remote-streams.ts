import type { UserId } from '@parley/protocol';

/** A remote participant's audio as it arrived: a new entry for every track, so playback restarts. */
export type RemoteAudioEntry = { readonly stream: MediaStream };

/**
 * The remote audio streams of the room, by participant: handed to the audio
 * elements as the engine delivers them (remoteTrack), not pulled through the
 * engine. Streams are not data, so they live here and not in the store; a
 * component subscribes to one participant (useSyncExternalStore).
 */
export class RemoteStreams {
  private readonly entries = new Map<UserId, RemoteAudioEntry>();
  private readonly listeners = new Map<UserId, Set<() => void>>();

  get(userId: UserId): RemoteAudioEntry | undefined {
    return this.entries.get(userId);
  }

  /** A track arrived on `stream` (a new link, or a new track on the same one). */
  arrived(userId: UserId, stream: MediaStream): void {
    this.entries.set(userId, { stream });
    this.notify(userId);
  }

  /** The participant left: their element stops playing. */
  forget(userId: UserId): void {
    if (this.entries.delete(userId)) this.notify(userId);
  }

  clear(): void {
    const userIds = [...this.entries.keys()];
    this.entries.clear();
    for (const userId of userIds) this.notify(userId);
  }

  subscribe(userId: UserId, listener: () => void): () => void {
    const set = this.listeners.get(userId) ?? new Set();
    this.listeners.set(userId, set);
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(userId);
    };
  }

  private notify(userId: UserId): void {
    for (const listener of [...(this.listeners.get(userId) ?? [])]) listener();
  }
}
