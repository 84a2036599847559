import { describe, expect, it } from 'vitest';
import { MediaFlowDetector } from './media-flow';

/** Feeds [atMs, bytes] samples; returns the stalled state after each one that changed it. */
function run(samples: Array<[number, number]>, stallAfterMs = 1_000): Array<[number, boolean]> {
  const detector = new MediaFlowDetector(stallAfterMs);
  const changes: Array<[number, boolean]> = [];
  for (const [atMs, bytes] of samples) {
    if (detector.update(bytes, atMs)) changes.push([atMs, detector.isStalled]);
  }
  return changes;
}

describe('MediaFlowDetector', () => {
  it('says once that audio flows, then nothing while it does', () => {
    expect(run([[0, 100], [250, 200], [500, 300], [750, 400], [1000, 500], [1250, 600]])).toEqual([[0, false]]);
  });

  it('reports a stall once bytes stop growing for a second, and the recovery when they grow again', () => {
    expect(run([[0, 100], [250, 200], [500, 200], [1000, 200], [1250, 200], [1500, 200], [1750, 300]])).toEqual([
      [0, false],
      [1250, true],
      [1750, false],
    ]);
  });

  it('never reports a stall on a link that has not flowed yet', () => {
    expect(run([[0, 0], [1000, 0], [5000, 0]])).toEqual([]);
  });

  it('reports one stall per episode, however long it lasts', () => {
    expect(run([[0, 100], [250, 200], [1300, 200], [1550, 200], [1800, 200], [5000, 200], [9000, 200]])).toEqual([[0, false], [1800, true]]);
  });

  it('starts over when a rebuilt connection counts from zero', () => {
    expect(run([[0, 5000], [250, 6000], [500, 40], [750, 80], [1000, 120], [1500, 120], [2000, 120], [2250, 120]])).toEqual([[0, false], [2250, true]]);
  });

  it('a starved page sampling a second or more apart is not called stalled on one or two late looks', () => {
    expect(run([[0, 100], [250, 200], [1600, 200], [3100, 300], [4500, 300], [6000, 400]])).toEqual([[0, false]]);
  });

  it('but three late looks in a row without growth are a stall', () => {
    expect(run([[0, 100], [250, 200], [1600, 200], [3100, 200], [4500, 200]])).toEqual([[0, false], [4500, true]]);
  });
});
