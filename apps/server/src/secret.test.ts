import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSecret } from './secret';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'parley-secret-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('loadSecret', () => {
  it('creates the data dir and a private 32-byte secret on first start, and reads it back later', async () => {
    const dataDir = path.join(root, 'nested', 'data');
    const first = await loadSecret({ dataDir, fromEnv: undefined });
    expect(first.source).toBe('generated');
    expect(first.secret).toHaveLength(32);
    expect((await stat(first.file)).mode & 0o777).toBe(0o600);

    const second = await loadSecret({ dataDir, fromEnv: undefined });
    expect(second.source).toBe('file');
    expect(second.secret.equals(first.secret)).toBe(true);
  });

  it('uses PARLEY_SECRET when given and writes no file', async () => {
    const dataDir = path.join(root, 'data');
    const loaded = await loadSecret({ dataDir, fromEnv: 'a-long-enough-secret' });
    expect(loaded).toMatchObject({ source: 'env', secret: Buffer.from('a-long-enough-secret') });
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('refuses a corrupt secret file instead of replacing it', async () => {
    await writeFile(path.join(root, 'secret'), 'too-short\n');
    await expect(loadSecret({ dataDir: root, fromEnv: undefined })).rejects.toThrow(/32-byte/);
  });
});
