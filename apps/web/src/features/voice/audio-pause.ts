import { selectLinkForming, type RoomSlice } from '../room/room-slice';
import { setLinkForming } from './meter-context';

type LinksStore = {
  getState(): Pick<RoomSlice, 'links'>;
  subscribe(listener: (state: Pick<RoomSlice, 'links'>) => void): () => void;
};

/**
 * Tells the meters' audio context each time some link starts or stops
 * forming, from the store, which hears of link states as they change: the
 * meters pause while someone joins (see meter-context.ts).
 */
export function pauseAudioWhileLinksForm(store: LinksStore): () => void {
  setLinkForming(selectLinkForming(store.getState()));
  return store.subscribe((state) => setLinkForming(selectLinkForming(state)));
}
