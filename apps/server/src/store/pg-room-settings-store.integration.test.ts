import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePostgresPerFile } from '../testing/postgres-suite';
import { openSqliteDatabase } from './database';
import { openPgDatabase, type PgDatabase } from './pg-database';
import { roomSettings, roomSettingsStoreContract, T0 } from './room-settings-store.contract';

const server = usePostgresPerFile();
let url: string;
const now = () => T0;

async function openOn(databaseUrl: string): Promise<PgDatabase> {
  return server.closeAfterEach(await openPgDatabase(databaseUrl, { now, poolSize: 2 }));
}

describe('the PostgreSQL room settings store', () => {
  roomSettingsStoreContract({
    open: async () => {
      url = await server.createDatabase();
      return (await openOn(url)).rooms;
    },
    reopen: async () => (await openOn(url)).rooms,
  });

  it("keeps the newest policy whatever order several nodes' writes land in", async () => {
    const databaseUrl = await server.createDatabase();
    const nodes = await Promise.all([openOn(databaseUrl), openOn(databaseUrl), openOn(databaseUrl)]);
    const revisions = [1, 2, 3, 4].map((revision) => roomSettings('friday', { revision, locked: revision % 2 === 0, passwordHash: `scrypt$${revision}` }));
    // Each node writes every revision, in order; the nodes race each other.
    await Promise.all(nodes.map(async (node) => {
      for (const settings of revisions) await node.rooms.put(settings);
    }));
    await nodes[2]!.rooms.put(revisions[1]!);
    expect(await nodes[0]!.rooms.get('friday')).toEqual(revisions[3]);
  });
});

describe("moving a node's rooms from parley.db to PostgreSQL", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'parley-move-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('brings rooms PostgreSQL does not know, keeps the ones it does, and moves each once', async () => {
    const pg = await openOn(await server.createDatabase());
    const sqlite = openSqliteDatabase(path.join(dir, 'parley.db'), now);
    try {
      const kept = roomSettings('kept', { passwordHash: 'scrypt$old', locked: true, revision: 2 });
      await sqlite.rooms.put(kept);
      await sqlite.rooms.put(roomSettings('clash', { passwordHash: 'scrypt$stale' }));
      const newer = roomSettings('clash', { passwordHash: 'scrypt$cluster', revision: 1, lastActiveAt: T0 + 1 });
      await pg.rooms.put(newer);

      expect(await sqlite.moveRooms(pg.importRooms)).toBe(2);
      expect(await pg.rooms.get('kept')).toEqual(kept);
      expect(await pg.rooms.get('clash')).toEqual(newer);
      expect(await sqlite.rooms.get('kept')).toBeUndefined();

      // Forgotten in PostgreSQL later (retention), it does not come back at the next start.
      await pg.rooms.purgeInactive(T0 + 10, new Set());
      expect(await sqlite.moveRooms(pg.importRooms)).toBe(0);
      expect(await pg.rooms.get('kept')).toBeUndefined();
    } finally {
      sqlite.close();
    }
  });

  it('keeps the rooms in parley.db when PostgreSQL did not take them', async () => {
    const pg = await openOn(await server.createDatabase());
    const sqlite = openSqliteDatabase(path.join(dir, 'failing.db'), now);
    try {
      await sqlite.rooms.put(roomSettings('kept'));
      await pg.close();
      await expect(sqlite.moveRooms(pg.importRooms)).rejects.toThrow();
      expect(await sqlite.rooms.get('kept')).toEqual(roomSettings('kept'));
    } finally {
      sqlite.close();
    }
  });
});
