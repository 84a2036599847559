// Preloaded into a process whose memory a benchmark measures:
//   NODE_OPTIONS='--expose-gc --require bench/lib/memory-probe.cjs' BENCH_MEMORY_FILE=/tmp/x.json
// On SIGUSR2 it collects garbage (twice, then once more after finalizers have run and
// freed what they hold outside the heap) and writes what the process then holds to
// BENCH_MEMORY_FILE, whole (written aside and renamed). Nothing else changes in the
// measured process. See bench/lib/memory.ts.
'use strict';
const { renameSync, writeFileSync } = require('node:fs');
const { getHeapSpaceStatistics } = require('node:v8');

const file = process.env.BENCH_MEMORY_FILE;
const collect = globalThis.gc;
if (file && typeof collect === 'function') {
  process.on('SIGUSR2', () => {
    collect();
    collect();
    setTimeout(() => {
      collect();
      const { rss, heapUsed, external } = process.memoryUsage();
      // The young generation is empty after a full collection; the pages it keeps are V8's
      // workspace, sized by the recent allocation rate (up to 2 x --max-semi-space-size).
      const youngBytes = getHeapSpaceStatistics()
        .filter((space) => space.space_name === 'new_space' || space.space_name === 'new_large_object_space')
        .reduce((sum, space) => sum + space.physical_space_size, 0);
      writeFileSync(`${file}.part`, JSON.stringify({ rssBytes: rss, heapUsedBytes: heapUsed, externalBytes: external, youngBytes }));
      renameSync(`${file}.part`, file);
    }, 200);
  });
}
