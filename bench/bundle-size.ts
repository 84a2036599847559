/**
 * What a first visit downloads: builds the web app from the current source
 * (into a temporary directory, so apps/web/dist is left as it is) and prints
 * the gzipped size of the initial JavaScript (the entry chunk and every chunk
 * it imports statically, read from Vite's manifest), of each chunk loaded
 * later (dynamic imports), and which packages the initial bytes come from.
 *
 * Sizes are gzip at zlib's default level, what a server compressing on the fly
 * sends, in kB of 1000 bytes as Vite prints them. Contributors are counted in
 * bytes of each module's code as the bundler rendered it, before the chunk was
 * minified: a share, not a download size.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** What the initial JavaScript should stay under (issue 11), for the comparison line. */
const BUDGET_KB = Number(process.env.BENCH_BUNDLE_BUDGET_KB ?? 100);
/** How many contributors to list. */
const TOP = Number(process.env.BENCH_BUNDLE_TOP ?? 12);

const webDir = fileURLToPath(new URL('../apps/web/', import.meta.url));

/** One entry of Vite's `.vite/manifest.json`, the fields read here. */
type ManifestChunk = {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
};
type Manifest = Record<string, ManifestChunk>;

/** As apps/web/build/module-sizes.ts writes it. */
type ChunkModules = { fileName: string; modules: Record<string, number> };

type Built = { outDir: string; manifest: Manifest; chunkModules: ChunkModules[] };

function build(): Built {
  const outDir = mkdtempSync(path.join(tmpdir(), 'parley-bundle-'));
  const modulesFile = path.join(outDir, 'modules.json');
  execFileSync('pnpm', ['exec', 'vite', 'build', '--logLevel', 'warn', '--outDir', path.join(outDir, 'dist'), '--emptyOutDir'], {
    cwd: webDir,
    env: { ...process.env, PARLEY_MODULE_SIZES: modulesFile },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const dist = path.join(outDir, 'dist');
  return {
    outDir,
    manifest: JSON.parse(readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8')) as Manifest,
    chunkModules: JSON.parse(readFileSync(modulesFile, 'utf8')) as ChunkModules[],
  };
}

/** The manifest keys of the entry and of every chunk reachable from it by static imports. */
function initialKeys(manifest: Manifest): Set<string> {
  const seen = new Set<string>();
  const visit = (key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  return seen;
}

function gzipBytes(file: string): number {
  return gzipSync(readFileSync(file)).length;
}

const kB = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;

/** `react-dom`, `zod`, `@parley/web`: the package a module id belongs to. */
function packageOf(moduleId: string): string {
  const dependency = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(moduleId);
  if (dependency) return dependency[1] as string;
  const workspace = /\/(apps|packages)\/([^/]+)\//.exec(moduleId);
  if (workspace) return `@parley/${workspace[2]}`;
  return moduleId.replace(/^\0/, '');
}

/** Where inside a package: `zod/v4/core`, `@parley/web/src/features/chat`. */
function folderOf(moduleId: string): string {
  const name = packageOf(moduleId);
  const at = moduleId.lastIndexOf(name.startsWith('@parley/') ? `/${name.slice('@parley/'.length)}/` : `/${name}/`);
  if (at < 0) return name;
  const inside = moduleId.slice(at + 1).split('/').slice(1, -1);
  return [name, ...inside.slice(0, 3)].join('/');
}

function printShares(title: string, sizes: Map<string, number>, total: number): void {
  console.log(`\n${title}`);
  const rows = [...sizes].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  for (const [name, bytes] of rows) {
    console.log(`  ${kB(bytes).padStart(9)}  ${((100 * bytes) / total).toFixed(1).padStart(5)} %  ${name}`);
  }
}

function report({ outDir, manifest, chunkModules }: Built): void {
  const dist = path.join(outDir, 'dist');
  const initial = initialKeys(manifest);
  const jsChunks = Object.entries(manifest).filter(([, chunk]) => chunk.file.endsWith('.js'));
  const sized = jsChunks.map(([key, chunk]) => ({ key, chunk, gzip: gzipBytes(path.join(dist, chunk.file)) }));
  const initialGzip = sized.filter((c) => initial.has(c.key)).reduce((sum, c) => sum + c.gzip, 0);
  const totalGzip = sized.reduce((sum, c) => sum + c.gzip, 0);

  console.log('initial JavaScript (entry and its static imports):');
  for (const c of sized.filter((s) => initial.has(s.key))) console.log(`  ${kB(c.gzip).padStart(9)}  ${c.chunk.file}`);
  console.log(`  ${kB(initialGzip).padStart(9)}  total, gzipped (budget ${BUDGET_KB} kB: ${initialGzip <= BUDGET_KB * 1000 ? 'within' : 'OVER'})`);
  const lazy = sized.filter((c) => !initial.has(c.key));
  console.log('\nloaded later (dynamic imports):');
  if (lazy.length === 0) console.log('  none');
  for (const c of lazy) console.log(`  ${kB(c.gzip).padStart(9)}  ${c.chunk.file}${c.chunk.src ? ` (${c.chunk.src})` : ''}`);
  console.log(`\nall JavaScript: ${kB(totalGzip)} gzipped`);

  const initialFiles = new Set(sized.filter((c) => initial.has(c.key)).map((c) => c.chunk.file));
  const byPackage = new Map<string, number>();
  const byFolder = new Map<string, number>();
  let rendered = 0;
  for (const chunk of chunkModules.filter((c) => initialFiles.has(c.fileName))) {
    for (const [id, bytes] of Object.entries(chunk.modules)) {
      rendered += bytes;
      byPackage.set(packageOf(id), (byPackage.get(packageOf(id)) ?? 0) + bytes);
      byFolder.set(folderOf(id), (byFolder.get(folderOf(id)) ?? 0) + bytes);
    }
  }
  printShares(`initial JavaScript by package (${kB(rendered)} of code before minification):`, byPackage, rendered);
  printShares('by folder:', byFolder, rendered);
}

const built = build();
try {
  report(built);
} finally {
  rmSync(built.outDir, { recursive: true, force: true });
}
