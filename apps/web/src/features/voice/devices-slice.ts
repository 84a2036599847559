import type { StateCreator } from 'zustand/vanilla';
import type { MicError } from './microphone';

export type MicStatus = 'idle' | 'requesting' | 'ready' | 'error';

export type DevicesSlice = {
  mic: MicStatus;
  micError: MicError | null;

  micRequested(): void;
  micGranted(): void;
  micFailed(error: MicError): void;
  micReleased(): void;
};

export const createDevicesSlice: StateCreator<DevicesSlice, [], [], DevicesSlice> = (set) => ({
  mic: 'idle',
  micError: null,

  micRequested: () => set({ mic: 'requesting', micError: null }),
  micGranted: () => set({ mic: 'ready', micError: null }),
  micFailed: (error) => set({ mic: 'error', micError: error }),
  micReleased: () => set({ mic: 'idle', micError: null }),
});

