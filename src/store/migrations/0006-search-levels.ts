/**
 * PostgreSQL: one tsvector per search level, each with its own GIN index. Migration 0004 keeps one
 * vector with the groups weighted A (title), B (official), C (subject), D (the rest); a query
 * restricted to weights (`'word':A`) can only use the index to find candidates and must then read
 * every candidate's vector again (rechecked, and de-TOASTed: the whole vector is large) to check
 * the weights, which for a common word means tens of thousands of rows per page. The level columns
 * hold the same lexemes and positions, filtered by weight (`ts_filter`), so a level's query needs
 * no weight and its index answers it alone (phrases still check positions, on a small vector).
 *
 * They are generated from `words`, so the trigger of 0004 keeps them without a change, and this
 * migration builds them from the stored vectors: no document is parsed again.
 *
 * SQLite: nothing (its FTS5 index restricts columns itself).
 */
import type { Kysely } from 'kysely';
import { PostgresAdapter, sql } from 'kysely';

const LEVELS = [
  ['words0', '{a}'],
  ['words1', '{a,b}'],
  ['words2', '{a,b,c}'],
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  const run = (statement: string) => sql.raw(statement).execute(db);
  await run(
    `ALTER TABLE search_docs ${LEVELS.map(
      ([column, weights]) =>
        `ADD COLUMN IF NOT EXISTS ${column} tsvector GENERATED ALWAYS AS (ts_filter(words, '${weights}')) STORED`,
    ).join(', ')}`,
  );
  for (const [column] of LEVELS) {
    await run(`CREATE INDEX IF NOT EXISTS search_docs_${column} ON search_docs USING gin (${column})`);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  const run = (statement: string) => sql.raw(statement).execute(db);
  for (const [column] of LEVELS) {
    await run(`DROP INDEX IF EXISTS search_docs_${column}`);
    await run(`ALTER TABLE search_docs DROP COLUMN IF EXISTS ${column}`);
  }
}
