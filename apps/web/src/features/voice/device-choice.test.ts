import { describe, expect, it } from 'vitest';
import { canChooseSpeaker, deviceLists, microphoneFallback, selectedDevice } from './device-choice';

const info = (kind: MediaDeviceKind, deviceId: string, label = '') => ({ kind, deviceId, label });

describe('deviceLists', () => {
  it('lists microphones and speakers with their names, each device once, cameras left out', () => {
    const lists = deviceLists([
      info('audioinput', 'default', 'Default - Headset'),
      info('audioinput', 'a1', 'Headset'),
      info('audioinput', 'a1', 'Headset'),
      info('videoinput', 'cam', 'Camera'),
      info('audiooutput', 'default', 'Default - Speakers'),
      info('audiooutput', 'o1', 'Speakers'),
    ]);
    expect(lists.microphones.map((o) => o.label)).toEqual(['Default - Headset', 'Headset']);
    expect(lists.speakers.map((o) => o.deviceId)).toEqual(['default', 'o1']);
  });

  it('before permission, unnamed devices get numbered names and id-less ones are left out', () => {
    const lists = deviceLists([info('audioinput', 'x'), info('audioinput', 'y'), info('audioinput', '')]);
    expect(lists.microphones.map((o) => o.label)).toEqual(['Microphone 1', 'Microphone 2']);
  });
});

describe('selectedDevice', () => {
  const options = [
    { deviceId: 'default', label: 'Default' },
    { deviceId: 'a1', label: 'Headset' },
  ];
  it('shows the device in use, else the chosen one, else the default', () => {
    expect(selectedDevice(options, 'a1', '')).toBe('a1');
    expect(selectedDevice(options, undefined, 'a1')).toBe('a1');
    expect(selectedDevice(options, 'gone', 'gone-too')).toBe('default');
    expect(selectedDevice([], undefined, 'a1')).toBe('');
  });
});

describe('microphoneFallback', () => {
  const microphones = [
    { deviceId: 'default', label: 'Default' },
    { deviceId: 'a1', label: 'Headset' },
  ];
  it('keeps a microphone that is listed and live', () => {
    expect(microphoneFallback(microphones, { deviceId: 'a1', ended: false })).toEqual({ kind: 'keep' });
  });
  it('falls back when the microphone in use left the list or its track ended', () => {
    expect(microphoneFallback(microphones, { deviceId: 'usb', ended: false })).toEqual({ kind: 'fallBack' });
    expect(microphoneFallback(microphones, { deviceId: 'default', ended: true })).toEqual({ kind: 'fallBack' });
  });
  it('has nothing to fall back to when no microphone is left', () => {
    expect(microphoneFallback([], { deviceId: 'a1', ended: true })).toEqual({ kind: 'none' });
  });
});

describe('canChooseSpeaker', () => {
  it('only where media elements can be sent to an output device', () => {
    expect(canChooseSpeaker({ HTMLMediaElement: { prototype: { setSinkId() {} } } })).toBe(true);
    expect(canChooseSpeaker({ HTMLMediaElement: { prototype: {} } })).toBe(false);
    expect(canChooseSpeaker({})).toBe(false);
  });
});
