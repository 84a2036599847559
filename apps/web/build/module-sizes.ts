import { writeFileSync } from 'node:fs';
import type { Plugin } from 'vite';

/** One output chunk and the bytes each source module left in it. */
export type ChunkModules = {
  fileName: string;
  /** Bytes of each module's code as rendered into the chunk, before minification of the whole. */
  modules: Record<string, number>;
};

/**
 * Writes, after a build, which source modules each JavaScript chunk holds and
 * how many bytes each left in it, to `file`: what bench/bundle-size.ts reads to
 * say where the initial JavaScript's bytes come from. Vite's manifest names the
 * chunks and how they import one another but not what is inside them.
 */
export function moduleSizes(file: string): Plugin {
  return {
    name: 'parley-module-sizes',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks: ChunkModules[] = [];
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        const modules: Record<string, number> = {};
        for (const [id, info] of Object.entries(output.modules)) modules[id] = info.renderedLength;
        chunks.push({ fileName: output.fileName, modules });
      }
      writeFileSync(file, JSON.stringify(chunks, null, 2));
    },
  };
}
