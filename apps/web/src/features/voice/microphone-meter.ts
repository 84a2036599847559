import type { LevelMeter } from '@parley/mesh';
import { meterContext, pausedWhileLinksForm } from './meter-context';
import { openTrackLevel } from './track-level';

/**
 * The engine's meter on our microphone (it lights our own speaking ring and
 * tells "You are muted"), on the meters' AudioContext. While that context
 * cannot run (no user gesture yet after a reload) it says it cannot tell, and
 * the engine reads a link's stats instead; while it is paused for a forming
 * link (meter-context.ts) it reads silence, as the meters on screen do then.
 */
export function openMicrophoneMeter(track: MediaStreamTrack): LevelMeter | undefined {
  const context = meterContext();
  const reading = openTrackLevel(track);
  if (!context || !reading) return undefined;
  return {
    level: () => (context.state === 'running' ? reading.read() : pausedWhileLinksForm() ? 0 : undefined),
    close: () => reading.close(),
  };
}
