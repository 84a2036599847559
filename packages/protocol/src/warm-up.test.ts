import { describe, expect, it } from 'vitest';
import { JOINING_FRAMES, LINK_FRAMES, warmUpParsing } from './warm-up';
import { parseWithoutCodeGeneration } from './parse';

describe('warmUpParsing', () => {
  it('parses every sample frame, so each schema a join uses has been through once', () => {
    parseWithoutCodeGeneration();
    expect(warmUpParsing()).toBe(JOINING_FRAMES.length + LINK_FRAMES.length);
  });
});
