import { describe, expect, it } from 'vitest';
import { classifyEpoch } from './negotiation';
import { EPOCHS_PER_GENERATION, LinkEpochs, linkEpoch } from './link-epochs';

describe('link epochs', () => {
  it('grow with every incarnation on one page, across reconnects (new generations) too', () => {
    let generation = 1;
    const epochs = new LinkEpochs(() => generation);
    const seen = [epochs.next(), epochs.next()];
    generation = 2;
    seen.push(epochs.next());
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(new Set(seen).size).toBe(3);
  });

  it("make a reloaded page's links newer than the old page's, whatever the clock did in between", () => {
    // The old page made many incarnations in generation 4; the reloaded page resumed its token: generation 5.
    const oldPage = new LinkEpochs(() => 4);
    let newest = 0;
    for (let i = 0; i < 1_000; i++) newest = oldPage.next();
    const reloaded = new LinkEpochs(() => 5);
    expect(classifyEpoch(newest, reloaded.next())).toBe('newer');
  });

  it('are newer than the wall-clock epochs of pages from before them (ms since 1970)', () => {
    expect(classifyEpoch(Date.UTC(2100, 0, 1), linkEpoch(1, 1))).toBe('newer');
  });

  it('stay exact integers at the largest generation', () => {
    const epoch = linkEpoch(2 ** 31, EPOCHS_PER_GENERATION * 2);
    expect(Number.isSafeInteger(epoch)).toBe(true);
    expect(epoch).toBeLessThan(linkEpoch(2 ** 31 + 1, 0));
  });
});
