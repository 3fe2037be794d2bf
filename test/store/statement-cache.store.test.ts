import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Generated } from 'kysely';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachingSqliteDatabase } from '../../src/store/sqlite-connection.js';

interface Db {
  items: { id: Generated<number>; name: string };
}

describe('SQLite prepared-statement cache', () => {
  let dir: string;
  let raw: BetterSqlite3.Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trialwatch-stmt-'));
    raw = new BetterSqlite3(join(dir, 'test.db'));
    raw.exec('create table items (id integer primary key, name text not null)');
  });

  afterEach(() => {
    if (raw.open) raw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reuses a statement per SQL text and keeps the least recently used within capacity', () => {
    const cached = cachingSqliteDatabase(raw, 2);
    const a = cached.prepare('select 1 as a');
    expect(cached.prepare('select 1 as a')).toBe(a);
    const b = cached.prepare('select 2 as b');
    cached.prepare('select 1 as a'); // a becomes most recently used
    cached.prepare('select 3 as c'); // evicts b
    expect(cached.cachedStatements).toBe(2);
    expect(cached.prepare('select 1 as a')).toBe(a);
    expect(cached.prepare('select 2 as b')).not.toBe(b);
  });

  it('hands out a fresh statement while the cached one is still iterating', () => {
    const cached = cachingSqliteDatabase(raw);
    raw.exec("insert into items (name) values ('x'), ('y')");
    const first = cached.prepare('select name from items order by id');
    const iterator = first.iterate([]);
    expect(iterator.next().value).toEqual({ name: 'x' });
    const second = cached.prepare('select name from items order by id');
    expect(second).not.toBe(first);
    expect(second.all([])).toEqual([{ name: 'x' }, { name: 'y' }]);
    expect(iterator.next().value).toEqual({ name: 'y' });
    expect(iterator.next().done).toBe(true);
  });

  it('keeps what Kysely reads from a run: affected rows, insert ids, returned rows, errors', async () => {
    const db = new Kysely<Db>({ dialect: new SqliteDialect({ database: cachingSqliteDatabase(raw) }) });
    for (const name of ['a', 'b', 'c']) {
      const inserted = await db.insertInto('items').values({ name }).executeTakeFirstOrThrow();
      expect(inserted.insertId).toBe(BigInt(['a', 'b', 'c'].indexOf(name) + 1));
    }
    const updated = await db.updateTable('items').set({ name: 'z' }).where('id', '>', 1).executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(2n);
    const none = await db.updateTable('items').set({ name: 'z' }).where('id', '>', 9).executeTakeFirst();
    expect(none.numUpdatedRows).toBe(0n);
    const returned = await db.insertInto('items').values({ name: 'd' }).returning('id').execute();
    expect(returned).toEqual([{ id: 4 }]);
    await expect(db.insertInto('items').values({ id: 1, name: 'dup' }).execute()).rejects.toThrow(/UNIQUE/);
    // The failed statement is reusable at once with other parameters.
    await db.insertInto('items').values({ id: 5, name: 'e' }).execute();
    const rows = await db.selectFrom('items').select(['id', 'name']).orderBy('id').execute();
    expect(rows.map((row) => row.name)).toEqual(['a', 'z', 'z', 'd', 'e']);
    // Schema changes re-prepare cached statements transparently.
    const before = await db.selectFrom('items').selectAll().where('id', '=', 1).execute();
    expect(before).toEqual([{ id: 1, name: 'a' }]);
    await sql`alter table items add column note text`.execute(db);
    const after = await db.selectFrom('items').selectAll().where('id', '=', 1).execute();
    expect(after).toEqual([{ id: 1, name: 'a', note: null }]);
    await db.destroy();
    expect(raw.open).toBe(false);
  });
});
