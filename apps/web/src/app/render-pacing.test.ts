import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { hiddenWhileEntering, paceRenders } from './render-pacing';

type Counter = { count: number; bump(): void };

function pacedCounter() {
  const store = createStore<Counter>()((set) => ({ count: 0, bump: () => set((s) => ({ count: s.count + 1 })) }));
  const due: Array<() => void> = [];
  const pacing = paceRenders(store, { schedule: (flush) => due.push(flush) });
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
    expect(heard).toEqual([]);
    runDue();
    expect(heard).toEqual([[3, 0]]);
  });

  it('shows React the state it was told of until it is told again, so a render in between sees one state throughout', () => {
    const { store, pacing, runDue } = pacedCounter();
    pacing.offstage(() => store.getState().bump());
    expect(pacing.source.getState().count).toBe(0);
    runDue();
    expect(pacing.source.getState().count).toBe(1);
    store.getState().bump();
    expect(pacing.source.getState().count).toBe(2);
  });

  it('lets a change of the user\'s carry the engine\'s pending ones, and the late flush then says nothing', () => {
    const { store, pacing, heard, runDue } = pacedCounter();
    pacing.offstage(() => store.getState().bump());
    store.getState().bump();
    expect(heard).toEqual([[2, 0]]);
    runDue();
    expect(heard).toEqual([[2, 0]]);
  });

  it('tells React once of the many changes one click makes together, engine ones included, when the click is done', () => {
    const { store, pacing, heard, runDue } = pacedCounter();
    const result = pacing.together(() => {
      store.getState().bump();
      pacing.offstage(() => store.getState().bump());
      store.getState().bump();
      expect(heard).toEqual([]);
      return 'joined';
    });
    expect(result).toBe('joined');
    expect(heard).toEqual([[3, 0]]);
    runDue();
    expect(heard).toEqual([[3, 0]]);
    store.getState().bump();
    expect(heard).toEqual([[3, 0], [4, 3]]);
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

type Room = { status: 'idle' | 'joining' | 'joined'; people: number };

function hiddenRoom() {
  const store = createStore<Room>()(() => ({ status: 'idle', people: 0 }));
  const view = hiddenWhileEntering(store, (state) => state.status !== 'idle');
  const heard: Array<[number, number]> = [];
  view.source.subscribe((state, previous) => heard.push([state.people, previous.people]));
  return { store, view, heard };
}

describe('paceRenders with a hold (entering a room behind the join form)', () => {
  const HOLD_MS = 1_500;

  afterEach(() => {
    vi.useRealTimers();
  });

  function heldCounter() {
    vi.useFakeTimers();
    type Held = { count: number; entering: boolean; bump(): void; enter(entering: boolean): void };
    const store = createStore<Held>()((set) => ({
      count: 0,
      entering: true,
      bump: () => set((s) => ({ count: s.count + 1 })),
      enter: (entering) => set({ entering }),
    }));
    const due: Array<() => void> = [];
    const pacing = paceRenders(store, { schedule: (flush) => due.push(flush), hold: { when: (state) => state.entering, atMostMs: HOLD_MS } });
    const heard: Array<[number, number]> = [];
    pacing.source.subscribe((state, previous) => heard.push([state.count, previous.count]));
    const runDue = () => {
      for (const flush of due.splice(0)) flush();
    };
    return { store, pacing, heard, runDue, advance: (ms: number) => vi.advanceTimersByTime(ms) };
  }

  it('keeps the engine\'s changes from React while the hold holds, and tells them once it ends', () => {
    const { store, pacing, heard, runDue } = heldCounter();
    pacing.offstage(() => store.getState().bump());
    runDue();
    pacing.offstage(() => store.getState().bump());
    runDue();
    expect(store.getState().count).toBe(2);
    expect(heard).toEqual([]);
    pacing.offstage(() => store.getState().enter(false));
    runDue();
    expect(heard).toEqual([[2, 0]]);
  });

  it('renders a change of the user\'s at once, hold or not, and the engine\'s pending ones with it', () => {
    const { store, pacing, heard, runDue } = heldCounter();
    pacing.offstage(() => store.getState().bump());
    runDue();
    store.getState().bump();
    expect(heard).toEqual([[2, 0]]);
  });

  it('renders what one click changes together when it returns, hold or not', () => {
    const { store, pacing, heard, runDue } = heldCounter();
    pacing.offstage(() => store.getState().bump());
    runDue();
    pacing.together(() => {
      store.getState().bump();
      pacing.offstage(() => store.getState().bump());
    });
    expect(heard).toEqual([[3, 0]]);
  });

  it('holds for its bound at most, counted from when a flush first found it on', () => {
    const { store, pacing, heard, runDue, advance } = heldCounter();
    pacing.offstage(() => store.getState().bump());
    runDue();
    advance(HOLD_MS / 2);
    pacing.offstage(() => store.getState().bump());
    advance(HOLD_MS / 2 - 1);
    expect(heard).toEqual([]);
    advance(1);
    expect(heard).toEqual([[2, 0]]);
  });
});

describe('hiddenWhileEntering', () => {
  it('follows the store while nobody is entering the room', () => {
    const { store, view, heard } = hiddenRoom();
    store.setState({ people: 1 });
    expect(heard).toEqual([[1, 0]]);
    expect(view.source.getState().people).toBe(1);
  });

  it('keeps the hidden room as it was from Join until it is shown, then tells it everything at once', () => {
    const { store, view, heard } = hiddenRoom();
    store.setState({ status: 'joining' });
    store.setState({ status: 'joined', people: 5 });
    store.setState({ people: 6 });
    expect(heard).toEqual([]);
    expect(view.source.getState()).toMatchObject({ status: 'idle', people: 0 });
    view.setShown(true);
    expect(heard).toEqual([[6, 0]]);
    expect(view.source.getState()).toMatchObject({ status: 'joined', people: 6 });
    store.setState({ people: 7 });
    expect(heard).toEqual([
      [6, 0],
      [7, 6],
    ]);
  });

  it('thaws when the join ends without the room ever showing (refused, or left while joining)', () => {
    const { store, view, heard } = hiddenRoom();
    store.setState({ status: 'joining', people: 2 });
    store.setState({ status: 'idle', people: 0 });
    expect(heard).toEqual([[0, 0]]);
    expect(view.source.getState().status).toBe('idle');
  });
});
