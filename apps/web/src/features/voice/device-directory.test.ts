import { describe, expect, it } from 'vitest';
import type { DeviceLists } from './device-choice';
import { DeviceDirectory } from './device-directory';

type Info = Pick<MediaDeviceInfo, 'deviceId' | 'kind' | 'label'>;

/** A browser's device list that can change, with or without telling (`devicechange`). */
function browserDevices(initial: Info[]) {
  let infos = initial;
  const listeners = new Set<() => void>();
  return {
    devices: {
      getUserMedia: () => Promise.reject(new Error('not here')),
      enumerateDevices: async () => infos.map((info) => ({ ...info, groupId: '', toJSON: () => info })) as MediaDeviceInfo[],
      addEventListener: (_type: string, listener: () => void) => listeners.add(listener),
      removeEventListener: (_type: string, listener: () => void) => listeners.delete(listener),
    } as never,
    /** The devices change; `announce` fires devicechange as a browser does on a plug. */
    become(next: Info[], announce: boolean) {
      infos = next;
      if (announce) for (const listener of listeners) listener();
    },
  };
}

const unnamed: Info[] = [{ deviceId: 'default', kind: 'audioinput', label: '' }];
const named: Info[] = [
  { deviceId: 'default', kind: 'audioinput', label: 'Default' },
  { deviceId: 'usb', kind: 'audioinput', label: 'USB headset' },
];
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const microphones = (lists: DeviceLists | undefined) => lists?.microphones.map((m) => m.label);

function setup(initial: Info[]) {
  const browser = browserDevices(initial);
  const shown: DeviceLists[] = [];
  const directory = new DeviceDirectory(browser.devices, (lists) => shown.push(lists));
  const stop = directory.start();
  return { browser, shown, directory, stop };
}

describe('DeviceDirectory', () => {
  it('lists the devices when the page starts', async () => {
    const { shown } = setup(named);
    await settle();
    expect(microphones(shown.at(-1))).toEqual(['Default', 'USB headset']);
  });

  it('names the devices once the microphone is allowed, where the first listing had no names', async () => {
    const { browser, shown, directory } = setup(unnamed);
    await settle();
    expect(microphones(shown.at(-1))).toEqual(['Microphone 1']);
    browser.become(named, false); // permission granted: the same devices, now with labels
    expect(microphones(await directory.name())).toEqual(['Default', 'USB headset']);
    expect(microphones(shown.at(-1))).toEqual(['Default', 'USB headset']);
  });

  it('keeps a named listing for a Join: the pickers hear of nothing new', async () => {
    const { shown, directory } = setup(named);
    await settle();
    const before = shown.length;
    expect(microphones(await directory.name())).toEqual(['Default', 'USB headset']);
    expect(shown).toHaveLength(before);
  });

  it('lists again after a device is plugged in or out', async () => {
    const { browser, shown, directory } = setup(named);
    await settle();
    browser.become([named[0] as Info], true);
    await settle();
    expect(microphones(shown.at(-1))).toEqual(['Default']);
    browser.become(named, true);
    expect(microphones(await directory.name())).toEqual(['Default', 'USB headset']);
  });

  it('refresh always asks the browser, for the fallback check after a device went away', async () => {
    const { browser, directory } = setup(named);
    await settle();
    browser.become([named[0] as Info], false); // the track ended before the browser said devicechange
    expect(microphones(await directory.refresh())).toEqual(['Default']);
  });

  it('stops following the devices when stopped', async () => {
    const { browser, shown, stop } = setup(named);
    await settle();
    stop();
    const before = shown.length;
    browser.become(unnamed, true);
    await settle();
    expect(shown).toHaveLength(before);
  });
});
