import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Integration tests open real sockets on ephemeral ports; give slow CI machines room.
    testTimeout: 10_000,
  },
});
