import { selectLinkForming, type RoomSlice } from '../room/room-slice';
import { setLinkForming } from './audio-context';

type LinksStore = {
  getState(): Pick<RoomSlice, 'links'>;
  subscribe(listener: (state: Pick<RoomSlice, 'links'>) => void): () => void;
};

/**
 * Tells the page's audio context each time some link starts or stops
 * forming, from the store, which hears of link states as they change: the
 * context pauses while someone joins unless something holds it running
 * (see setLinkForming in audio-context.ts).
 */
export function pauseAudioWhileLinksForm(store: LinksStore): () => void {
  setLinkForming(selectLinkForming(store.getState()));
  return store.subscribe((state) => setLinkForming(selectLinkForming(state)));
}
