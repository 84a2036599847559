import { deviceLists, type DeviceLists } from './device-choice';
import type { MediaDevicesLike } from './microphone';

/**
 * The page's list of microphones and speakers, read again whenever the
 * browser says the devices changed (`devicechange`: plugged, unplugged) and
 * when the microphone was first allowed (only then do entries get labels).
 */
export class DeviceDirectory {
  constructor(
    private readonly devices: MediaDevicesLike,
    private readonly listed: (lists: DeviceLists) => void,
  ) {}

  /** Lists the devices now and after every change, until the returned function is called. */
  start(): () => void {
    const onChange = () => void this.refresh();
    this.devices.addEventListener?.('devicechange', onChange);
    void this.refresh();
    return () => this.devices.removeEventListener?.('devicechange', onChange);
  }

  /** The devices now (undefined where the browser cannot list them); the store hears of them too. */
  async refresh(): Promise<DeviceLists | undefined> {
    if (!this.devices.enumerateDevices) return undefined;
    try {
      const lists = deviceLists(await this.devices.enumerateDevices());
      this.listed(lists);
      return lists;
    } catch {
      return undefined;
    }
  }
}
