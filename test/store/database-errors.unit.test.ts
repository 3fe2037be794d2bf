/**
 * The one classification of database failures (store/dialect.ts): which errors mean the database is
 * unreachable or full, including pg's failures that carry no code (a pool or connect timeout, a
 * terminated connection, a statement past query_timeout), so none of them leaves the API as a 500.
 */
import { describe, expect, it } from 'vitest';
import { databaseErrorOf, isConnectionLostError } from '../../src/store/dialect.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('databaseErrorOf', () => {
  it.each([
    ['connect refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['connection reset', withCode('read ECONNRESET', 'ECONNRESET')],
    [
      'admin shutdown (pg_terminate_backend)',
      withCode('terminating connection due to administrator command', '57P01'),
    ],
    ['connection failure class 08', withCode('connection failure', '08006')],
    ['too many clients', withCode('sorry, too many clients already', '53300')],
    ['pool wait timeout (no code)', new Error('timeout exceeded when trying to connect')],
    ['connect timeout (no code)', new Error('Connection terminated due to connection timeout')],
    ['connection ended (no code)', new Error('Connection terminated unexpectedly')],
    ['statement timeout (no code)', new Error('Query read timeout')],
    [
      'a broken client (no code)',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    ['SQLite busy past the timeout', withCode('database is locked', 'SQLITE_BUSY')],
    ['SQLite I/O error', withCode('disk I/O error', 'SQLITE_IOERR_WRITE')],
  ])('%s is DATABASE_UNAVAILABLE with Retry-After', (_label, error) => {
    const classified = databaseErrorOf(error, { name: 'postgres', multiProcess: true, location: 'db-here' });
    expect(classified).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503, retryAfterSeconds: 1 });
    expect(classified?.message).toContain('db-here');
    expect(classified?.cause).toBe(error);
  });

  it('finds the cause through a wrapping error', () => {
    const wrapped = new Error('query failed', { cause: withCode('read ECONNRESET', 'ECONNRESET') });
    expect(databaseErrorOf(wrapped)?.code).toBe('DATABASE_UNAVAILABLE');
  });

  it('names a full disk with its code and the path', () => {
    const full = databaseErrorOf(withCode('database or disk is full', 'SQLITE_FULL'), {
      name: 'sqlite',
      multiProcess: false,
      location: '/data/trialwatch.db',
    });
    expect(full).toMatchObject({ code: 'DATABASE_FULL', status: 503 });
    expect(full?.message).toBe(
      'SQLITE_FULL: disk full writing the database (/data/trialwatch.db): database or disk is full',
    );
  });

  it.each([
    ['a constraint', withCode('duplicate key value violates unique constraint', '23505')],
    ['a syntax error', withCode('syntax error at or near "selec"', '42601')],
    ['a bug', new TypeError('Cannot read properties of undefined')],
  ])('leaves %s alone', (_label, error) => {
    expect(databaseErrorOf(error)).toBeUndefined();
    expect(isConnectionLostError(error)).toBe(false);
  });
});
