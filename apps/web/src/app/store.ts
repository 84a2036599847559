import { createStore } from 'zustand/vanilla';
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createDevicesSlice, type DevicesSlice } from '../features/voice/devices-slice';
import { createVoiceSlice, type VoiceSlice } from '../features/voice/voice-slice';
import { createVoiceSettingsSlice, type VoiceSettingsSlice } from '../features/voice/voice-settings-slice';
import { createPersonalVolumeSlice, type PersonalVolumeSlice } from '../features/voice/personal-volume-slice';
import { createRoomSlice, type RoomSlice } from '../features/room/room-slice';
import { createRoomSettingsSlice, type RoomSettingsSlice } from '../features/room/room-settings-slice';
import { createJoinRefusalSlice, type JoinRefusalSlice } from '../features/lobby/join-refusal-slice';
import { createChatSlice, type ChatSlice } from '../features/chat';
import { createSessionSlice, type SessionSlice } from './session-slice';
import { REVEAL_WAIT_MS, selectWayInSettled } from '../features/room/way-in';
import { hiddenWhileEntering, paceRenders, type HideableView, type RenderSource } from './render-pacing';

/**
 * The one bound store. It holds serializable data only: the engine, its
 * streams and the microphone live in the VoiceSession, never in here.
 * Actions are plain state transitions; no slice performs side effects.
 * Each slice owns its fields: it is written against its own type and
 * cannot see another's. What needs several slices is read by the selectors
 * in app/selectors.ts.
 */
export type AppState = SessionSlice & RoomSlice & RoomSettingsSlice & JoinRefusalSlice & DevicesSlice & VoiceSlice & VoiceSettingsSlice & PersonalVolumeSlice & ChatSlice;

export function createAppStore() {
  return createStore<AppState>()((...args) => ({
    ...createSessionSlice(...args),
    ...createRoomSlice(...args),
    ...createRoomSettingsSlice(...args),
    ...createJoinRefusalSlice(...args),
    ...createDevicesSlice(...args),
    ...createVoiceSlice(...args),
    ...createVoiceSettingsSlice(...args),
    ...createPersonalVolumeSlice(...args),
    ...createChatSlice(...args),
  }));
}
export type AppStore = ReturnType<typeof createAppStore>;

export const appStore = createAppStore();

/**
 * How the app's components hear of changes: the engine's come in the
 * background (see render-pacing), and not at all while we enter a room until
 * its links are up: the form says "Joining…", the room behind it is still
 * (roomView), and every render then would take the main thread from the
 * offers and answers (a sixth joiner's page gets a tenth of a core).
 *
 * Only the newcomer holds. The people already in the call holding too, from
 * a newcomer's arrival until their link to them connected (bench:trace shows
 * most of the five running a timer task of 100-290 ms right after their
 * offers go out), was measured no faster: a sixth joiner into a settled
 * call of five, 2815 ms against 2943 ms (medians of 8, bench:mesh with the
 * candidate build, in one run on two cores, load 5-16), within the spread
 * of the runs.
 */
export const appRenders = paceRenders(appStore, {
  hold: {
    when: (state: AppState): boolean => state.roomStatus !== 'idle' && !roomView.shown && !selectWayInSettled(state),
    atMostMs: REVEAL_WAIT_MS,
  },
});

/** What the room sees: rendered ahead behind the join form, it stays still from Join until it is shown (see App). */
export const roomView: HideableView<AppState> = hiddenWhileEntering(appRenders.source, (state) => state.roomStatus !== 'idle');

const StoreSource = createContext<RenderSource<AppState>>(appRenders.source);

/** Gives a part of the page another view of the store (App gives the room roomView). */
export const StoreSourceProvider = StoreSource.Provider;

/** The store as this part of the page sees it; for components that take a store (ChatPanel). */
export function useAppStoreSource(): RenderSource<AppState> {
  return useContext(StoreSource);
}

export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useContext(StoreSource), selector);
}
