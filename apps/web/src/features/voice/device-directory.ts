import { deviceLists, type DeviceLists } from './device-choice';
import type { MediaDevicesLike } from './microphone';

/**
 * The page's list of microphones and speakers, read again whenever the
 * browser says the devices changed (`devicechange`: plugged, unplugged) and
 * when the microphone was first allowed (only then do entries get labels).
 *
 * Listing is not free: Chromium answers enumerateDevices by waking its
 * video capture service, a process of its own, even for a page that never
 * asks for a camera. Traced at a three-person Join on a two-core machine,
 * the listing Join used to make cost the browser and that service about
 * 0.15 s of CPU while the join's offers and answers waited for the same
 * cores; the list had not changed since the form listed it. So `name()`
 * lists only when the last listing had no names or a device changed since.
 */
export class DeviceDirectory {
  /** The last listing, while it carries the browser's names and no device changed since. */
  private named: DeviceLists | undefined;

  constructor(
    private readonly devices: MediaDevicesLike,
    private readonly listed: (lists: DeviceLists) => void,
  ) {}

  /** Lists the devices now and after every change, until the returned function is called. */
  start(): () => void {
    const onChange = () => {
      this.named = undefined;
      void this.refresh();
    };
    this.devices.addEventListener?.('devicechange', onChange);
    void this.refresh();
    return () => this.devices.removeEventListener?.('devicechange', onChange);
  }

  /** The devices now (undefined where the browser cannot list them); the store hears of them too. */
  async refresh(): Promise<DeviceLists | undefined> {
    if (!this.devices.enumerateDevices) return undefined;
    try {
      const infos = await this.devices.enumerateDevices();
      const lists = deviceLists(infos);
      this.named = infos.some((info) => info.label !== '') ? lists : undefined;
      this.listed(lists);
      return lists;
    } catch {
      return undefined;
    }
  }

  /**
   * The devices with their names: the last listing where it had them and
   * nothing changed since (a Join whose form listed them), else a fresh one
   * (the first microphone this page opened, as after a reload).
   */
  async name(): Promise<DeviceLists | undefined> {
    return this.named ?? this.refresh();
  }
}
