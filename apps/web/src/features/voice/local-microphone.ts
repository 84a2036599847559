import { microphoneFallback, type DeviceLists } from './device-choice';
import { captureChanged, defaultMicrophone, type MicrophoneChoice } from './microphone-constraints';
import { openMicrophone, stopTracks, type MediaDevicesLike } from './microphone';
import type { NoiseSuppressor } from './noise-suppression';
import type { VoiceSettings } from './voice-settings-slice';

type Timers = { setTimeout(fn: () => void, ms: number): unknown };

export type LocalMicrophoneDeps = {
  devices: MediaDevicesLike;
  /** The voice settings as they are now. */
  settings(): VoiceSettings;
  /** Every link sends this stream from now on (Engine.setLocalStream: replaceTrack, no renegotiation). */
  send(stream: MediaStream): void;
  /** RNNoise on a track (suppressNoise in the browser); resolves once it carries sound. */
  suppressNoise(track: MediaStreamTrack): Promise<NoiseSuppressor>;
  /** The devices as they are now (DeviceDirectory.refresh). */
  listDevices(): Promise<DeviceLists | undefined>;
  /** The devices with their names, listed again only where the last listing had none (DeviceDirectory.name). */
  nameDevices?(): Promise<DeviceLists | undefined>;
  /** The microphone really open changed; its deviceId as the browser reports it. */
  opened(deviceId: string | undefined): void;
  /** Something the user should be told: the microphone fell back, or another one could not be opened. */
  notice(text: string): void;
  timers?: Timers;
  /**
   * Runs what can wait once the page has a moment: a background task in the
   * browser (inBackground), a 0 ms timer by default.
   */
  later?: (work: () => void) => void;
};

/**
 * How long a replaced track keeps running: replaceTrack completes
 * asynchronously on each link, and a track stopped before that would leave
 * the link sending nothing for a moment.
 */
export const REPLACED_TRACK_GRACE_MS = 500;

export const FELL_BACK_NOTICE = 'Your microphone was disconnected. Parley switched to the default microphone.';

/**
 * The microphone of one visit, after Join: what the links send, kept in
 * step with the settings and the devices.
 *
 * - Another microphone or other browser processing: the new track is opened
 *   first, every link then sends it (replaceTrack: no new offer, no gap),
 *   and only then is the old one stopped. Chromium does not apply the
 *   processing constraints (echoCancellation and the like) through
 *   applyConstraints to a live track (it resolves, the settings stay as they
 *   were), so a processing change opens a new track too (see reopen).
 * - Enhanced noise suppression: the track is routed through RNNoise and the
 *   processed track is sent instead, swapped in the same way.
 * - The microphone in use was unplugged (its track ended, or it left the
 *   device list): the default one is opened, and the user is told.
 *
 * Changes run one at a time, in order; stop() drops what is still under way.
 */
export class LocalMicrophone {
  private raw: MediaStream | undefined;
  private suppressor: NoiseSuppressor | undefined;
  private sent: MediaStream | undefined;
  /** What `raw` was opened with. */
  private captured: MicrophoneChoice | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** Bumped by start() and stop(): work for an earlier microphone is dropped. */
  private generation = 0;
  private unwatch: (() => void) | undefined;
  private readonly listeners = new Set<() => void>();
  /** The track() the listeners last heard of. */
  private announced: MediaStreamTrack | undefined;
  private readonly timers: Timers;

  constructor(private readonly deps: LocalMicrophoneDeps) {
    this.timers = deps.timers ?? { setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms) };
  }

  /** Join opened `stream`: the links send it as it is now; processing that needs loading follows. */
  start(stream: MediaStream): void {
    this.stop();
    this.generation++;
    this.raw = stream;
    this.sent = stream;
    this.captured = choiceOf(this.deps.settings());
    this.watch(stream);
    this.changed();
    this.follow();
    // Start runs in Join's click, right after room.join went out: which device is open (getSettings,
    // a blocking call) and the device list can wait until the server's answer has been read.
    const generation = this.generation;
    this.later(() => {
      if (generation !== this.generation) return;
      this.deps.opened(deviceIdOf(stream));
      // After a reload the call's microphone is the first one this page opened: only now do the devices have names.
      void (this.deps.nameDevices ?? this.deps.listDevices)();
    });
  }

  private later(work: () => void): void {
    if (this.deps.later) this.deps.later(work);
    else this.timers.setTimeout(work, 0);
  }

  /** What the links send now, if the microphone is open. */
  stream(): MediaStream | undefined {
    return this.sent;
  }

  /** The microphone's own track (before any processing), for meters. Bound: it goes to useSyncExternalStore as it is. */
  readonly track = (): MediaStreamTrack | undefined => this.raw?.getAudioTracks()[0];

  /** Called whenever track() changed. Bound, like track. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** The settings changed: bring the microphone in line with them. */
  follow(): void {
    this.enqueue(async () => {
      const wanted = choiceOf(this.deps.settings());
      if (this.captured && captureChanged(this.captured, wanted)) await this.reopen(wanted);
      await this.applySuppression();
    });
  }

  /** Release the microphone (the visit is over). */
  stop(): void {
    this.generation++;
    this.releaseCapture();
    this.raw = undefined;
    this.sent = undefined;
    this.captured = undefined;
    this.changed();
  }

  private enqueue(work: () => Promise<void>): void {
    const generation = this.generation;
    this.queue = this.queue.then(() => (generation === this.generation ? work() : undefined)).catch(() => undefined);
  }

  /**
   * Open the microphone as `choice` says, send it, then stop the one it
   * replaces. Other processing on the same device is the exception: measured
   * in Chromium, a second capture of a device that is still open gets the
   * open one's gain control and noise suppression, whatever it asked for; so
   * there the old track is stopped first, at the cost of a moment's silence
   * (the time getUserMedia takes, 50-200 ms) while the user changes a setting.
   */
  private async reopen(choice: MicrophoneChoice, options: { fallingBack?: boolean } = {}): Promise<void> {
    const generation = this.generation;
    const sameDevice = this.captured !== undefined && this.captured.microphoneId === choice.microphoneId && !options.fallingBack;
    if (sameDevice) this.releaseCapture();
    let next: MediaStream;
    try {
      next = await openMicrophone(this.deps.devices, choice);
    } catch (error) {
      if (generation !== this.generation) return;
      this.captured = choice;
      if (sameDevice) {
        this.deps.notice(`The microphone could not be opened again (${errorName(error)}).`);
        return;
      }
      // Keep the microphone we have; the pickers go on showing it.
      this.deps.notice(`That microphone could not be opened (${errorName(error)}). Parley kept the one in use.`);
      return;
    }
    if (generation !== this.generation) return stopTracks(next);
    const previous = { raw: this.raw, suppressor: this.suppressor };
    this.raw = next;
    this.captured = choice;
    this.suppressor = undefined;
    this.watch(next);
    this.send(next);
    this.retire(previous.raw, previous.suppressor);
    this.deps.opened(deviceIdOf(next));
    if (options.fallingBack) this.deps.notice(FELL_BACK_NOTICE);
    this.changed();
  }

  /** Stop the microphone (and its processing) now; the links go on sending its ended track, silence, until the next one. */
  private releaseCapture(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    this.suppressor?.close();
    this.suppressor = undefined;
    stopTracks(this.raw);
  }

  /** Enhanced noise suppression on or off, on the current microphone. */
  private async applySuppression(): Promise<void> {
    const want = this.deps.settings().enhancedNoiseSuppression;
    const raw = this.raw;
    const track = raw?.getAudioTracks()[0];
    if (!raw || !track) return;
    if (!want && this.suppressor) {
      const old = this.suppressor;
      this.suppressor = undefined;
      this.send(raw);
      this.retire(undefined, old);
      return;
    }
    if (!want || this.suppressor) return;
    const generation = this.generation;
    let suppressor: NoiseSuppressor;
    try {
      suppressor = await this.deps.suppressNoise(track);
    } catch (error) {
      if (generation === this.generation) this.deps.notice(`Enhanced noise suppression could not start (${errorName(error)}).`);
      return;
    }
    if (generation !== this.generation || this.raw !== raw) return suppressor.close();
    // The mesh mutes whichever track it sends; the microphone under the processing must keep running.
    track.enabled = true;
    this.suppressor = suppressor;
    this.send(suppressor.stream);
  }

  private send(stream: MediaStream): void {
    this.sent = stream;
    this.deps.send(stream);
  }

  private retire(raw: MediaStream | undefined, suppressor: NoiseSuppressor | undefined): void {
    if (!raw && !suppressor) return;
    this.timers.setTimeout(() => {
      suppressor?.close();
      stopTracks(raw);
    }, REPLACED_TRACK_GRACE_MS);
  }

  /** Fall back to the default microphone when the one in use goes away. */
  private watch(stream: MediaStream): void {
    this.unwatch?.();
    const track = stream.getAudioTracks()[0];
    const check = () =>
      this.enqueue(async () => {
        if (this.raw !== stream) return;
        const lists = await this.deps.listDevices();
        const decision = microphoneFallback(lists?.microphones ?? [], { deviceId: deviceIdOf(stream), ended: track?.readyState === 'ended' });
        if (decision.kind === 'fallBack' && this.captured) await this.reopen(defaultMicrophone(this.captured), { fallingBack: true });
        await this.applySuppression();
      });
    track?.addEventListener('ended', check);
    this.deps.devices.addEventListener?.('devicechange', check);
    this.unwatch = () => {
      track?.removeEventListener('ended', check);
      this.deps.devices.removeEventListener?.('devicechange', check);
    };
  }

  /** Tells the listeners, once per new track(): a stop() before the first start() changes nothing they show. */
  private changed(): void {
    const track = this.track();
    if (track === this.announced) return;
    this.announced = track;
    for (const listener of this.listeners) listener();
  }
}

function choiceOf(settings: VoiceSettings): MicrophoneChoice {
  const { microphoneId, echoCancellation, noiseSuppression, autoGainControl } = settings;
  return { microphoneId, echoCancellation, noiseSuppression, autoGainControl };
}

function deviceIdOf(stream: MediaStream): string | undefined {
  return stream.getAudioTracks()[0]?.getSettings?.().deviceId;
}

function errorName(error: unknown): string {
  return error instanceof Error || error instanceof DOMException ? error.name : 'UnknownError';
}
