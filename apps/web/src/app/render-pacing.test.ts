import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { paceRenders } from './render-pacing';

type Counter = { count: number; bump(): void };

function pacedCounter() {
  const store = createStore<Counter>()((set) => ({ count: 0, bump: () => set((s) => ({ count: s.count + 1 })) }));
  const due: Array<() => void> = [];
  const pacing = paceRenders(store, (flush) => due.push(flush));
  const heard: Array<[number, number]> = [];
  pacing.source.subscribe((state, previous) => heard.push([state.count, previous.count]));
  const runDue = () => {
    for (const flush of due.splice(0)) flush();
  };
  return { store, pacing, heard, runDue };
}

describe('paceRenders', () => {
  it('tells React of a change the user made at once', () => {
    const { store, heard } = pacedCounter();
    store.getState().bump();
    expect(heard).toEqual([[1, 0]]);
  });

  it('writes the engine\'s changes at once but tells React later, once for all of them', () => {
    const { store, pacing, heard, runDue } = pacedCounter();
    pacing.offstage(() => store.getState().bump());
    pacing.offstage(() => store.getState().bump());
    pacing.offstage(() => store.getState().bump());
    expect(store.getState().count).toBe(3);
    expect(pacing.source.getState().count).toBe(3);
    expect(heard).toEqual([]);
    runDue();
    expect(heard).toEqual([[3, 0]]);
  });

  it('lets a change of the user\'s carry the engine\'s pending ones, and the late flush then says nothing', () => {
    const { store, pacing, heard, runDue } = pacedCounter();
    pacing.offstage(() => store.getState().bump());
    store.getState().bump();
    expect(heard).toEqual([[2, 0]]);
    runDue();
    expect(heard).toEqual([[2, 0]]);
  });

  it('stops telling a listener that unsubscribed', () => {
    const { store, pacing, runDue } = pacedCounter();
    const heard: number[] = [];
    const unsubscribe = pacing.source.subscribe((state) => heard.push(state.count));
    pacing.offstage(() => store.getState().bump());
    unsubscribe();
    runDue();
    store.getState().bump();
    expect(heard).toEqual([]);
  });
});
