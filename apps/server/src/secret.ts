import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const SECRET_FILE = 'secret';
const SECRET_BYTES = 32;

export type SecretSource = 'env' | 'file' | 'generated';

/**
 * The key that signs resume tokens. PARLEY_SECRET wins; otherwise the one kept in
 * `<dataDir>/secret`, created (32 random bytes, base64url, mode 0600) on first start
 * so tokens outlive a restart. Creates `dataDir` if missing. Throws on an unreadable
 * or corrupt secret file rather than silently replacing it.
 */
export async function loadSecret(options: {
  dataDir: string;
  fromEnv: string | undefined;
}): Promise<{ secret: Buffer; source: SecretSource; file: string }> {
  const dir = path.resolve(options.dataDir);
  const file = path.join(dir, SECRET_FILE);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (options.fromEnv !== undefined) return { secret: Buffer.from(options.fromEnv, 'utf8'), source: 'env', file };

  const fresh = randomBytes(SECRET_BYTES);
  try {
    // 'wx' fails if the file exists, so two processes starting at once cannot overwrite each other.
    await writeFile(file, `${fresh.toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
    return { secret: fresh, source: 'generated', file };
  } catch (err) {
    if (!isAlreadyThere(err)) throw err;
  }
  const stored = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url');
  if (stored.length !== SECRET_BYTES) {
    throw new Error(`${file} does not hold a ${SECRET_BYTES}-byte base64url secret; fix or delete it (deleting signs everyone out)`);
  }
  return { secret: stored, source: 'file', file };
}

function isAlreadyThere(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'EEXIST';
}
