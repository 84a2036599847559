import { defineConfig } from 'vitest/config';

// Store slices and pure helpers are tested in Node; no DOM is needed.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
