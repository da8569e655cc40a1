// The failover suite (test/failover/): a private Galera cluster behind HAProxy, faults under load.
// Minutes long and needing mariadbd, galera-4 and haproxy, so `npm test` leaves it out; .ci/run
// runs it once with `npm run test:failover`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/failover/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
