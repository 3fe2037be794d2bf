/**
 * The deployment's page-cursor key when the operator sets none (`CURSOR_SECRET`): generated once
 * and kept in the database (`settings`, written by migration 0008, or here if the row is gone), so
 * every process serving one database signs and verifies cursors alike with no set-up, and the key
 * is never a constant of the code (which anyone can read).
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/database.js';
import { ensureSetting } from '../store/setting.repository.js';

/** The settings row holding the generated cursor key. */
const CURSOR_SECRET_SETTING = 'cursor-secret';

/** Reads (or first stores) the key; call it on first use, so an app builds while the database is down. */
export function deploymentCursorKey(db: Db, now: () => number): () => Promise<string> {
  return () => ensureSetting(db, CURSOR_SECRET_SETTING, randomBytes(32).toString('base64url'), now());
}
