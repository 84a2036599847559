import { describe, expect, it } from 'vitest';
import { classifyMicError, describeMicError, microphoneGranted, openMicrophone, watchMicrophonePermissionState } from './microphone';

const domError = (name: string) => Object.assign(new Error('x'), { name });

describe('microphone errors', () => {
  it('explains a denied permission', () => {
    expect(describeMicError(classifyMicError(domError('NotAllowedError')))).toBe(
      "Microphone access was denied. Allow it in your browser's site settings, then try again.",
    );
  });

  it('explains a missing microphone', () => {
    expect(describeMicError(classifyMicError(domError('NotFoundError')))).toBe(
      'No microphone was found. Plug one in, then try again.',
    );
  });

  it('names any other error in the message', () => {
    expect(describeMicError(classifyMicError(domError('WeirdError')))).toContain('WeirdError');
    expect(describeMicError(classifyMicError(domError('NotReadableError')))).toContain('NotReadableError');
  });

  it('copes with a rejection that is not an Error at all', () => {
    expect(classifyMicError('nope')).toEqual({ kind: 'other', name: 'UnknownError' });
  });
});

describe('microphoneGranted(watchMicrophonePermissionState(...))', () => {
  const grantedBy = (permissions: Parameters<typeof watchMicrophonePermissionState>[0]) =>
    microphoneGranted(watchMicrophonePermissionState(permissions));

  const permissionsIn = (state: PermissionState) => {
    const status: { state: PermissionState; onchange: ((this: PermissionStatus, ev: Event) => unknown) | null } = { state, onchange: null };
    return { status, permissions: { query: async () => status } };
  };

  it('says yes where the microphone was allowed before, and follows a later change', async () => {
    const { status, permissions } = permissionsIn('granted');
    const allowed = grantedBy(permissions);
    expect(await allowed()).toBe(true);
    status.state = 'denied';
    status.onchange?.call({} as PermissionStatus, new Event('change'));
    expect(await allowed()).toBe(false);
  });

  it('says no where the browser will ask, cannot tell, or has no permissions API', async () => {
    expect(await grantedBy(permissionsIn('prompt').permissions)()).toBe(false);
    expect(await grantedBy({ query: () => Promise.reject(new TypeError('unknown permission')) })()).toBe(false);
    expect(await grantedBy(undefined)()).toBe(false);
  });
});

describe('openMicrophone', () => {
  const choice = { microphoneId: 'usb', echoCancellation: true, noiseSuppression: false, autoGainControl: true };

  it('opens the chosen microphone; one unplugged since it was chosen gives the default, with the same processing', async () => {
    const asked: MediaStreamConstraints[] = [];
    const stream = {} as MediaStream;
    const devices = {
      getUserMedia: async (constraints?: MediaStreamConstraints) => {
        asked.push(constraints ?? {});
        if (asked.length === 1) throw Object.assign(new Error('gone'), { name: 'OverconstrainedError' });
        return stream;
      },
    };
    expect(await openMicrophone(devices, choice)).toBe(stream);
    expect(asked.map((c) => c.audio)).toEqual([
      { deviceId: { exact: 'usb' }, echoCancellation: true, noiseSuppression: false, autoGainControl: true },
      { echoCancellation: true, noiseSuppression: false, autoGainControl: true },
    ]);
  });

  it('a refusal is not retried: the user has to be told', async () => {
    let calls = 0;
    const devices = {
      getUserMedia: async () => {
        calls++;
        throw Object.assign(new Error('no'), { name: 'NotAllowedError' });
      },
    };
    await expect(openMicrophone(devices, choice)).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(calls).toBe(1);
  });
});
