import type { StateCreator } from 'zustand/vanilla';
import type { DeviceOption, DeviceLists } from './device-choice';
import type { MicError } from './microphone';

export type MicStatus = 'idle' | 'requesting' | 'ready' | 'error';

export type DevicesSlice = {
  mic: MicStatus;
  micError: MicError | null;
  /** The pickers' entries, as enumerateDevices() last listed them. */
  microphones: DeviceOption[];
  speakers: DeviceOption[];
  /** The deviceId of the microphone really open (its track's settings), if one is. */
  microphoneInUseId: string | undefined;
  /** Said to the user when the microphone changed by itself (it was unplugged); null otherwise. */
  microphoneNotice: string | null;

  micRequested(): void;
  micGranted(): void;
  micFailed(error: MicError): void;
  micReleased(): void;
  devicesListed(lists: DeviceLists): void;
  microphoneOpened(deviceId: string | undefined): void;
  microphoneNoticeShown(notice: string): void;
  microphoneNoticeDismissed(): void;
};

export const createDevicesSlice: StateCreator<DevicesSlice, [], [], DevicesSlice> = (set) => ({
  mic: 'idle',
  micError: null,
  microphones: [],
  speakers: [],
  microphoneInUseId: undefined,
  microphoneNotice: null,

  micRequested: () => set({ mic: 'requesting', micError: null }),
  micGranted: () => set({ mic: 'ready', micError: null }),
  micFailed: (error) => set({ mic: 'error', micError: error }),
  micReleased: () => set({ mic: 'idle', micError: null, microphoneInUseId: undefined, microphoneNotice: null }),
  // The same devices again (the page lists them at Join, and after every devicechange) change nothing:
  // a fresh array would re-render every picker while Join's offers wait for the main thread.
  devicesListed: ({ microphones, speakers }) =>
    set((state) => (sameOptions(state.microphones, microphones) && sameOptions(state.speakers, speakers) ? state : { microphones, speakers })),
  microphoneOpened: (deviceId) => set({ microphoneInUseId: deviceId }),
  microphoneNoticeShown: (notice) => set({ microphoneNotice: notice }),
  microphoneNoticeDismissed: () => set({ microphoneNotice: null }),
});

function sameOptions(a: readonly DeviceOption[], b: readonly DeviceOption[]): boolean {
  return a.length === b.length && a.every((option, i) => option.deviceId === b[i]?.deviceId && option.label === b[i]?.label);
}
