/**
 * The database as the edges (the CLI, serve, the routes) handle it: opening it (`openStore`),
 * migrating it (`migrateToLatest`), the readiness check's count of pending migrations
 * (`migrationsPending`), the one classification of database failures into the catalogue
 * (`databaseErrorOf`), and the SQLite backup (`backupSqliteDatabase`). The edges take these from
 * here, never from src/store (the layer rules in eslint.layers.js); the store keeps the code.
 */
export type { MigrationReport, Store } from '../store/database.js';
export { migrateToLatest, migrationsPending, openStore } from '../store/database.js';
export { databaseErrorOf } from '../store/dialect.js';
export { backupSqliteDatabase } from '../store/backup.js';
