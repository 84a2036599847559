/** One entry of a device picker: serializable, so the store can hold the lists. */
export type DeviceOption = { deviceId: string; label: string };

export type DeviceLists = { microphones: DeviceOption[]; speakers: DeviceOption[] };

type DeviceInfoLike = Pick<MediaDeviceInfo, 'deviceId' | 'kind' | 'label'>;

/**
 * The pickers' entries from enumerateDevices(). Chromium lists the system
 * default twice (as "default" and under its own id); the "default" entry
 * stays, as the one that follows the system's choice. Before permission the
 * browser gives no labels (and often no ids): numbered names stand in.
 */
export function deviceLists(infos: readonly DeviceInfoLike[]): DeviceLists {
  const pick = (kind: MediaDeviceKind, noun: string): DeviceOption[] => {
    const seen = new Set<string>();
    const options: DeviceOption[] = [];
    for (const info of infos) {
      if (info.kind !== kind || info.deviceId === '' || seen.has(info.deviceId)) continue;
      seen.add(info.deviceId);
      options.push({ deviceId: info.deviceId, label: info.label || `${noun} ${options.length + 1}` });
    }
    return options;
  };
  return { microphones: pick('audioinput', 'Microphone'), speakers: pick('audiooutput', 'Speaker') };
}

/**
 * The device a picker shows as selected: the one in use if it is listed,
 * else the chosen one if listed, else the first (the system default).
 * '' when the list is empty.
 */
export function selectedDevice(options: readonly DeviceOption[], inUseId: string | undefined, chosenId: string): string {
  for (const id of [inUseId, chosenId]) {
    if (id !== undefined && id !== '' && options.some((o) => o.deviceId === id)) return id;
  }
  return options[0]?.deviceId ?? '';
}

/**
 * What to do about the microphone in use after the device list changed or
 * its track ended: keep it while it is listed and live; otherwise open the
 * default microphone, if any is left.
 */
export type MicrophoneFallback = { kind: 'keep' } | { kind: 'fallBack' } | { kind: 'none' };

export function microphoneFallback(
  microphones: readonly DeviceOption[],
  inUse: { deviceId: string | undefined; ended: boolean },
): MicrophoneFallback {
  const listed = inUse.deviceId === undefined || microphones.some((o) => o.deviceId === inUse.deviceId);
  if (listed && !inUse.ended) return { kind: 'keep' };
  return microphones.length === 0 ? { kind: 'none' } : { kind: 'fallBack' };
}

type SinkCapable = { HTMLMediaElement?: { prototype: object } };

/** Whether this browser can send audio to a chosen output device (HTMLMediaElement.setSinkId); Firefox and Safari until recently cannot. */
export function canChooseSpeaker(scope: SinkCapable = globalThis as SinkCapable): boolean {
  return scope.HTMLMediaElement !== undefined && 'setSinkId' in scope.HTMLMediaElement.prototype;
}
