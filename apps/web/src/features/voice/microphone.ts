import { assertNever } from '@parley/protocol';
import { defaultMicrophone, microphoneConstraints, type MicrophoneChoice } from './microphone-constraints';

/** What went wrong when asking for the microphone, as data the store can hold. */
export type MicErrorKind = 'denied' | 'notFound' | 'busy' | 'insecure' | 'other';
export type MicError = { kind: MicErrorKind; name: string };

export type MediaDevicesLike = Pick<MediaDevices, 'getUserMedia'> &
  Partial<Pick<MediaDevices, 'enumerateDevices' | 'addEventListener' | 'removeEventListener'>>;

/**
 * Opens the chosen microphone with the chosen processing; where that device
 * is gone (unplugged since it was chosen), the default one instead, which is
 * what someone pressing Join wants: the pickers then show the one really open.
 */
export async function openMicrophone(devices: MediaDevicesLike, choice: MicrophoneChoice): Promise<MediaStream> {
  try {
    return await devices.getUserMedia(microphoneConstraints(choice));
  } catch (error) {
    const gone = classifyMicError(error).kind === 'notFound';
    if (!gone || choice.microphoneId === '') throw error;
    return devices.getUserMedia(microphoneConstraints(defaultMicrophone(choice)));
  }
}

type PermissionsLike = { query(descriptor: { name: PermissionName }): Promise<Pick<PermissionStatus, 'state' | 'onchange'>> };

/**
 * The microphone permission as the browser states it ('granted', 'prompt',
 * 'denied'), or undefined where it cannot tell.
 *
 * Asked once, when the page starts, and followed as it changes: pressing
 * Join then reads the answer without waiting for the browser (a query
 * made at the click cost 20-60 ms on a busy page, all of it before the
 * room could be joined).
 */
export function watchMicrophonePermissionState(permissions: PermissionsLike | undefined): () => Promise<PermissionState | undefined> {
  let state: PermissionState | undefined;
  const ready = (async () => {
    try {
      const status = await permissions?.query({ name: 'microphone' as PermissionName });
      if (!status) return;
      state = status.state;
      status.onchange = () => {
        state = status.state;
      };
    } catch {
      // Cannot tell: treat it as "will ask".
    }
  })();
  return async () => {
    if (state === undefined) await ready;
    return state;
  };
}

/**
 * Whether the browser will open the microphone without asking (the user
 * allowed it before), from a watched permission state
 * (watchMicrophonePermissionState). False when it will ask, refuses, or
 * cannot tell.
 */
export function microphoneGranted(permission: () => Promise<PermissionState | undefined>): () => Promise<boolean> {
  return async () => (await permission()) === 'granted';
}

export function stopTracks(stream: MediaStream | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string' && error.name) {
    return error.name;
  }
  return 'UnknownError';
}

/** Sort a getUserMedia rejection into what the user can do about it. */
export function classifyMicError(error: unknown): MicError {
  const name = errorName(error);
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
      return { kind: 'denied', name };
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return { kind: 'notFound', name };
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return { kind: 'busy', name };
    default:
      return { kind: 'other', name };
  }
}

export function describeMicError(error: MicError): string {
  switch (error.kind) {
    case 'denied':
      return "Microphone access was denied. Allow it in your browser's site settings, then try again.";
    case 'notFound':
      return 'No microphone was found. Plug one in, then try again.';
    case 'busy':
      return `Your microphone could not be started (${error.name}). Another app may be using it; close that app, then try again.`;
    case 'insecure':
      return 'This page cannot use a microphone because it was not opened over a secure connection. Open it with https:// (or on localhost), then try again.';
    case 'other':
      return `The microphone could not be opened (${error.name}). Check your browser's microphone settings, then try again.`;
    default:
      return assertNever(error.kind, 'microphone error kind');
  }
}
