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
  devicesListed: ({ microphones, speakers }) => set({ microphones, speakers }),
  microphoneOpened: (deviceId) => set({ microphoneInUseId: deviceId }),
  microphoneNoticeShown: (notice) => set({ microphoneNotice: notice }),
  microphoneNoticeDismissed: () => set({ microphoneNotice: null }),
});
