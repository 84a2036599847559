import { audioContext } from './audio-context';
import type { PlayableLike } from './audio-playback';
import { openContextSpeaker, routeElement, type ContextSpeakerUse } from './context-speaker';

/**
 * How long a resume() may take before the context counts as held back by
 * the autoplay policy: Chromium neither starts nor rejects a context that
 * may not start yet, its promise just waits for a gesture.
 */
const RESUME_WAIT_MS = 300;

/**
 * One remote participant's way to the speaker: an <audio> element playing
 * their stream on the chosen speaker, at the volume you chose for them
 * (muted at 0 %, while you are deafened or muted them for yourself). Every
 * remote voice an element plays goes out through one output stream, which
 * Chromium's WebRTC mixer feeds, as on a plain WebRTC page; and Chromium
 * applies the element's volume inside the receiver, so the link's
 * inbound-rtp stats (audioLevel, totalAudioEnergy) measure what you hear.
 *
 * Above 100 %, where an element cannot go, the voice takes Web Audio:
 * stream -> MediaStreamAudioSourceNode -> GainNode -> the context's way out
 * (context-speaker.ts), with the element kept playing, muted: Chromium pulls
 * a remote stream into Web Audio only while it plays in a media element
 * (crbug 933677). Back at 100 % or below, the nodes go again.
 *
 * `play()` makes the stage something AudioPlayback can start and retry: it
 * fails as the autoplay policy does (NotAllowedError) while the page may
 * not play sound yet.
 */
export type PlaybackStage = PlayableLike & {
  setGain(gain: number): void;
  setSpeaker(speakerId: string): void;
  close(): void;
};

type SinkElement = HTMLAudioElement & { setSinkId?(sinkId: string): Promise<void> };

/** The Web Audio part of a voice turned up past 100 %. */
type Boost = { source: MediaStreamAudioSourceNode; gain: GainNode; speaker: ContextSpeakerUse; context: AudioContext };

export function openPlaybackStage(stream: MediaStream, initialGain: number, speakerId: string): PlaybackStage {
  // Not autoplay: it starts when AudioPlayback says, so a refusal is seen and "Turn on sound" shown.
  const element = document.createElement('audio') as SinkElement;
  element.srcObject = stream;
  let boost: Boost | undefined;
  let started = false;
  let speaker = speakerId;
  let routed = speakerId === '' ? Promise.resolve(true) : routeElement(element, speakerId);

  const openBoost = (value: number): Boost | undefined => {
    const context = audioContext();
    const speaker = context && openContextSpeaker();
    if (!context || !speaker) return undefined;
    const source = context.createMediaStreamSource(stream);
    const gain = context.createGain();
    gain.gain.value = value;
    source.connect(gain).connect(speaker.input);
    return { source, gain, speaker, context };
  };

  const closeBoost = () => {
    if (!boost) return;
    boost.source.disconnect();
    boost.gain.disconnect();
    boost.speaker.release();
    boost = undefined;
  };

  const stage: PlaybackStage = {
    async play() {
      started = true;
      await routed;
      await element.play();
      if (boost) {
        await startContext(boost.context);
        await boost.speaker.play();
      }
    },
    setGain(value) {
      if (value <= 1) {
        closeBoost();
        element.volume = Math.max(0, value);
        element.muted = value === 0;
        return;
      }
      if (boost) {
        // A short ramp: a jump in gain clicks.
        boost.gain.gain.setTargetAtTime(value, boost.context.currentTime, 0.015);
        return;
      }
      boost = openBoost(value);
      if (!boost) {
        // No Web Audio (an old browser): as loud as an element goes.
        element.volume = 1;
        element.muted = false;
        return;
      }
      element.muted = true;
      // Turned up mid-call (a slider moved: a gesture); a stage not started yet is AudioPlayback's to start.
      if (started) void stage.play().catch(() => undefined);
    },
    setSpeaker(id) {
      if (id === speaker) return;
      speaker = id;
      routed = routeElement(element, id);
    },
    close() {
      closeBoost();
      element.pause();
      element.srcObject = null;
    },
  };
  stage.setGain(initialGain);
  return stage;
}

async function startContext(context: AudioContext): Promise<void> {
  if (context.state === 'running') return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, RESUME_WAIT_MS);
  });
  await Promise.race([context.resume().catch(() => undefined), waited]);
  clearTimeout(timer);
  // `state` is typed from before the await; read it afresh.
  if ((context.state as AudioContextState) !== 'running') {
    throw new DOMException('The AudioContext was not allowed to start before a user gesture', 'NotAllowedError');
  }
}
