#!/usr/bin/env node
/**
 * The `trialwatch` CLI: serve, harvest, import, migrate, sources. Exit 0 on success; otherwise a
 * one-line reason on stderr and a non-zero exit.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { packageRoot } from '../config/paths.js';
import type { HarvestRun } from '../domain/trial.types.js';
import { AppError, messageOf } from '../errors/app-error.js';
import { classifyStoredChanges } from '../harvest/classification-backfill.js';
import { backfillStoredSites } from '../harvest/site-backfill.js';
import { checkRunnable, runHarvest } from '../harvest/harvest.service.js';
import { SOURCE_ADAPTERS } from '../sources/registry.js';
import { databaseErrorOf, migrateToLatest } from '../services/database.service.js';
import type { SourceStatus } from '../services/source.service.js';
import { SourceService } from '../services/source.service.js';
import type { CliContext } from './context.js';
import { openContext, sourceInfos } from './context.js';
import { createProgressPrinter, summarizeRun } from './progress.js';
import { formatTable, localTime } from './terminal.js';

const OK_STATUSES = new Set(['succeeded', 'skipped']);

/** Aborts on the first SIGINT/SIGTERM so a harvest stops at a record boundary, marked interrupted. */
function abortOnSignals(): AbortController {
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('signal'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller;
}

/** A database failure as the catalogue names it, with where the database is (the path or URL). */
function asDatabaseError(error: unknown, context: CliContext): unknown {
  if (error instanceof AppError) return error;
  return databaseErrorOf(error, context.store.dialect) ?? error;
}

async function harvestCommand(options: { source?: string[]; full?: boolean }): Promise<number> {
  const context = await openContext();
  try {
    const requested =
      options.source ?? SOURCE_ADAPTERS.filter((a) => context.config.sources[a.id]?.enabled).map((a) => a.id);
    if (requested.length === 0) {
      throw new AppError(
        'SOURCE_NOT_CONFIGURED',
        'No source is enabled: list the sources to harvest in SOURCES',
      );
    }
    // Every source is checked before any runs: one that cannot run is no failed run of it.
    for (const source of requested) checkRunnable(context.harvestDeps, source, 'harvest');
    const controller = abortOnSignals();
    let failures = 0;
    for (const source of requested) {
      const progress = createProgressPrinter();
      let run: HarvestRun;
      try {
        run = await runHarvest(context.harvestDeps, {
          source,
          mode: options.full === true ? 'full' : 'incremental',
          trigger: 'manual',
          signal: controller.signal,
          onProgress: (p) => progress.update(p),
        });
      } finally {
        progress.done();
      }
      process.stdout.write(`${summarizeRun(run)}\n`);
      if (!OK_STATUSES.has(run.status)) failures++;
    }
    return failures === 0 ? 0 : 1;
  } catch (error) {
    throw asDatabaseError(error, context);
  } finally {
    await context.close();
  }
}

/**
 * Reads a file to import, refusing one above `IMPORT_MAX_FILE_BYTES` before reading a byte: a file
 * is decoded and parsed whole, and a few hundred megabytes of JSON take gigabytes to parse.
 */
function readImportFile(file: string, maxBytes: number): Buffer {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    throw new AppError('IMPORT_UNREADABLE', `Cannot read ${file}: ${messageOf(error)}`, { cause: error });
  }
  if (size > maxBytes) {
    throw new AppError(
      'IMPORT_TOO_LARGE',
      `${file} is ${size} bytes, more than IMPORT_MAX_FILE_BYTES (${maxBytes} bytes) allows; nothing was imported. Files are read whole: split it, or raise IMPORT_MAX_FILE_BYTES if the machine has the memory (a few times the file's size)`,
      { details: { size, maxBytes } },
    );
  }
  try {
    return readFileSync(file);
  } catch (error) {
    throw new AppError('IMPORT_UNREADABLE', `Cannot read ${file}: ${messageOf(error)}`, { cause: error });
  }
}

async function importCommand(file: string, options: { source: string; full?: boolean }): Promise<number> {
  const context = await openContext();
  try {
    // A source that takes no files is refused before the file is read (runHarvest checks it too).
    checkRunnable(context.harvestDeps, options.source, 'import');
    const content = readImportFile(file, context.config.importMaxFileBytes);
    const progress = createProgressPrinter();
    const run = await runHarvest(context.harvestDeps, {
      source: options.source,
      mode: 'full',
      trigger: 'import',
      file: {
        name: basename(file),
        content,
        ...(options.full === true ? { assumeComplete: true } : {}),
      },
      signal: abortOnSignals().signal,
      onProgress: (p) => progress.update(p),
    }).finally(() => progress.done());
    process.stdout.write(`${summarizeRun(run)}\n`);
    return OK_STATUSES.has(run.status) ? 0 : 1;
  } catch (error) {
    throw asDatabaseError(error, context);
  } finally {
    await context.close();
  }
}

async function migrateCommand(): Promise<number> {
  const context = await openContext({ migrate: false });
  try {
    const report = await migrateToLatest(context.store.db);
    if (report.length === 0) process.stdout.write('migrations: already up to date\n');
    for (const result of report) process.stdout.write(`migration ${result.name}: ${result.status}\n`);
    // Events stored before typed changes existed, classified now rather than at the next harvest
    // (safe beside a running harvest or another migrate: a classification already stored is kept).
    for (const adapter of SOURCE_ADAPTERS) {
      const classified = await classifyStoredChanges(context.store.db, adapter);
      if (classified > 0) {
        process.stdout.write(`classified ${classified} stored change events of ${adapter.id}\n`);
      }
      // Trials stored before sites were kept (migration 0010) get theirs, the same way.
      const sited = await backfillStoredSites(context.store.db, adapter);
      if (sited > 0) process.stdout.write(`wrote the sites of ${sited} stored trials of ${adapter.id}\n`);
    }
    return 0;
  } catch (error) {
    throw asDatabaseError(error, context);
  } finally {
    await context.close();
  }
}

/** What `sources` says of a source's state: whether it runs, and if not, what it lacks. */
function stateOf(source: SourceStatus): string {
  if (!source.enabled) return 'not enabled (SOURCES)';
  if (!source.configured) return `not configured (set ${source.missing.join(', ')})`;
  return 'enabled';
}

async function sourcesCommand(): Promise<number> {
  const context = await openContext();
  try {
    const service = new SourceService({
      db: context.store.db,
      sources: sourceInfos(context.config),
      now: Date.now,
    });
    const rows = (await service.list()).map((source) => [
      source.id,
      stateOf(source),
      String(source.trials.active),
      source.lastRun === null
        ? 'never'
        : `${source.lastRun.status} ${localTime(source.lastRun.startedAt)} (run ${source.lastRun.id})`,
      source.nextRunAt === null ? '-' : localTime(source.nextRunAt),
      source.name,
    ]);
    process.stdout.write(
      formatTable(['SOURCE', 'STATE', 'TRIALS', 'LAST RUN', 'NEXT RUN', 'REGISTRY'], rows),
    );
    return 0;
  } catch (error) {
    throw asDatabaseError(error, context);
  } finally {
    await context.close();
  }
}

/** What each source that imports files takes, for `import --help` (which also names those that take none). */
const IMPORT_FORMATS: Readonly<Record<string, string>> = {
  'kr-icreat': 'an odcloud JSON response or the data.go.kr CSV download',
  ctgov: "a study, a /studies page, the website's JSON download or NDJSON",
};

function importDescription(): string {
  const lines = SOURCE_ADAPTERS.filter((adapter) => adapter.readFile !== undefined).map(
    (adapter) => `  --source ${adapter.id}: ${IMPORT_FORMATS[adapter.id] ?? 'a saved upstream file'}`,
  );
  const none = SOURCE_ADAPTERS.filter((adapter) => adapter.readFile === undefined).map((a) => a.id);
  return [
    'import a saved upstream file instead of harvesting the network:',
    ...lines,
    ...(none.length === 0
      ? []
      : [`  (${none.join(', ')} ${none.length === 1 ? 'imports' : 'import'} no files)`]),
  ].join('\n');
}

/** A TCP port from the command line (0: any free port). */
function portOption(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new InvalidArgumentError('a port is a number from 0 to 65535');
  }
  return Number(value);
}

function packageVersion(): string {
  const text = readFileSync(join(packageRoot(), 'package.json'), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

export function buildCli(): Command {
  const program = new Command('trialwatch')
    .description('A local mirror of clinical-trial registries that notices every change.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError();
  program
    .command('serve')
    .description('serve the HTTP API (and run the scheduled harvests)')
    .option('--no-scheduler', 'serve the API only, without scheduled harvests')
    .option('--port <port>', 'the port to listen on, instead of PORT (0: any free port)', portOption)
    .option('--host <address>', 'the address to listen on, instead of HOST')
    .action(async (options: { scheduler: boolean; port?: number; host?: string }) => {
      // Loaded on demand: the one-shot commands do not need the web stack.
      const { serve } = await import('./serve.js');
      await serve(options);
    });
  program
    .command('harvest')
    .description('harvest sources once (default: every enabled source)')
    .addOption(new Option('--source <id...>', 'source id(s) to harvest'))
    .option('--full', 'a full harvest (otherwise incremental where the source supports it)')
    .action(async (options: { source?: string[]; full?: boolean }) => {
      process.exitCode = await harvestCommand(options);
    });
  program
    .command('import')
    .summary('import a saved upstream file (which sources take which files: import --help)')
    .description(importDescription())
    .argument('<file>', 'the file to import')
    .option('--source <id>', 'the source the file comes from', 'kr-icreat')
    .option(
      '--full',
      'the file is the whole dataset: remove the trials it lacks even when it cannot show that it is whole (no record count, a last record that may be cut, far fewer records than stored)',
    )
    .action(async (file: string, options: { source: string; full?: boolean }) => {
      process.exitCode = await importCommand(file, options);
    });
  program
    .command('backup')
    .description('copy the SQLite database to FILE while it is in use (PostgreSQL: pg_dump, see the README)')
    .argument('<file>', 'where to write the backup')
    .option('--force', 'overwrite FILE if it exists')
    .action(async (file: string, options: { force?: boolean }) => {
      const { backupCommand } = await import('./backup.js');
      process.exitCode = await backupCommand(file, options);
    });
  program
    .command('migrate')
    .description('apply database migrations')
    .action(async () => {
      process.exitCode = await migrateCommand();
    });
  program
    .command('sources')
    .description('list the sources: whether each runs, its trials, its last run and its next scheduled one')
    .action(async () => {
      process.exitCode = await sourcesCommand();
    });
  return program;
}

async function main(): Promise<void> {
  try {
    await buildCli().parseAsync(process.argv);
  } catch (caught) {
    // A database failure reads as one (unreachable, disk full), whichever call hit it.
    const error = caught instanceof AppError ? caught : (databaseErrorOf(caught) ?? caught);
    process.stderr.write(`trialwatch: ${messageOf(error).replace(/\s*\n\s*/g, ' ')}\n`);
    process.exitCode = error instanceof AppError && error.code === 'CONFIG_INVALID' ? 2 : 1;
  }
}

await main();
