import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    // Real /proc, real sql.js, real child processes and recorders: a shared 2-core machine under load
    // can be several times slower than an idle one, so give every test room (no test asserts on time).
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
