/**
 * Results: every figure with its unit, targets with pass/fail, a printed table and the JSON file
 * `bench/results/<timestamp>-<scenario>.json`.
 *
 * Units: rates per second (`studies/s`, `records/s`, `req/s`), times in `ms` or `s`, memory in `MB`
 * (10^6 bytes), sizes on disk in `bytes`, counts in `count`, ratios as plain numbers (`x`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MachineInfo } from './machine.js';

export type TargetOp = '>=' | '<=' | '<' | '==';

export interface Figure {
  /** The printed table the figure belongs to ('' for the scenario's main table). */
  section: string;
  /** Stable key, e.g. `full.throughput`. */
  key: string;
  /** The table's row label. */
  label: string;
  /** The table's column: a database (`sqlite`, `postgres`), a variant, or `` when there is one. */
  column: string;
  value: number | null;
  unit: string;
}

export interface Target {
  key: string;
  column: string;
  /** What is checked, e.g. `full harvest throughput`. */
  label: string;
  op: TargetOp;
  threshold: number;
  unit: string;
  measured: number | null;
  pass: boolean;
  /**
   * `performance`: a miss is reported; `correctness` (exact counts, zero errors): a miss means the
   * figures cannot be trusted, and the scenario fails.
   */
  kind: 'performance' | 'correctness';
  note?: string;
}

export interface DatabaseInfo {
  kind: string;
  version: string;
  /** Where it lived (a temp file, a scratch database), passwords removed. */
  location: string;
}

export interface ScenarioReport {
  scenario: string;
  description: string;
  status: 'ok' | 'error';
  errors: string[];
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  command: string;
  machine: MachineInfo;
  node: string;
  databases: DatabaseInfo[];
  n: number | null;
  seed: number;
  parameters: Record<string, unknown>;
  figures: Figure[];
  targets: Target[];
  notes: string[];
}

/** What a scenario fills in while it runs. */
export class Results {
  readonly figures: Figure[] = [];
  readonly targets: Target[] = [];
  readonly notes: string[] = [];
  readonly databases: DatabaseInfo[] = [];
  readonly parameters: Record<string, unknown> = {};
  readonly errors: string[] = [];
  #section = '';

  /** Records the database a figure came from, once per kind. */
  noteDatabase(info: DatabaseInfo): void {
    if (!this.databases.some((db) => db.kind === info.kind)) this.databases.push(info);
  }

  /** Figures added from now on print in their own table, titled `name`. */
  section(name: string): void {
    this.#section = name;
  }

  add(column: string, key: string, label: string, value: number | null, unit: string): void {
    const rounded = value === null || !Number.isFinite(value) ? null : Math.round(value * 100) / 100;
    const existing = this.figures.find((figure) => figure.key === key && figure.column === column);
    if (existing !== undefined) existing.value = rounded;
    else this.figures.push({ section: this.#section, key, label, column, value: rounded, unit });
  }

  value(column: string, key: string): number | null {
    return this.figures.find((figure) => figure.key === key && figure.column === column)?.value ?? null;
  }

  /** Checks a figure against a threshold and records the target. */
  check(
    column: string,
    key: string,
    label: string,
    op: TargetOp,
    threshold: number,
    kind: Target['kind'],
    note?: string,
  ): Target {
    const figure = this.figures.find((candidate) => candidate.key === key && candidate.column === column);
    const measured = figure?.value ?? null;
    const pass =
      measured !== null &&
      (op === '>='
        ? measured >= threshold
        : op === '<='
          ? measured <= threshold
          : op === '<'
            ? measured < threshold
            : measured === threshold);
    const target: Target = {
      key,
      column,
      label,
      op,
      threshold,
      unit: figure?.unit ?? '',
      measured,
      pass,
      kind,
      ...(note === undefined ? {} : { note }),
    };
    this.targets.push(target);
    return target;
  }

  note(text: string): void {
    this.notes.push(text);
  }
}

// ---------------------------------------------------------------------------------------------
// Printing

export function formatNumber(value: number | null, unit = ''): string {
  if (value === null) return '–';
  if (unit === 'bytes' && Math.abs(value) >= 10_000_000) return `${(value / 1e6).toFixed(1)} MB`;
  const digits = Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function unitLabel(unit: string, value: number | null): string {
  if (unit === 'bytes' && value !== null && Math.abs(value) >= 10_000_000) return '';
  return unit === 'count' ? '' : unit;
}

function renderTable(header: string[], rows: string[][], rightAligned: (column: number) => boolean): string {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) =>
        rightAligned(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * The figures as a table: one row per figure key, one column per database, variant or measure.
 * A cell shows its unit unless the column's name already ends with it (`p99 ms`, `req/s`).
 */
export function figureTable(figures: readonly Figure[], title = 'figure'): string {
  const columns = [...new Set(figures.map((figure) => figure.column))];
  const rowKeys = [...new Set(figures.map((figure) => figure.key))];
  const rows = rowKeys.map((key) => {
    const first = figures.find((figure) => figure.key === key)!;
    return [
      first.label,
      ...columns.map((column) => {
        const figure = figures.find((candidate) => candidate.key === key && candidate.column === column);
        if (figure === undefined) return '';
        const unit =
          column === figure.unit || column.endsWith(` ${figure.unit}`)
            ? ''
            : unitLabel(figure.unit, figure.value);
        return `${formatNumber(figure.value, figure.unit)}${unit === '' ? '' : ` ${unit}`}`;
      }),
    ];
  });
  const header = [title, ...columns.map((column) => (column === '' ? 'value' : column))];
  return renderTable(header, rows, (column) => column > 0);
}

export function targetTable(targets: readonly Target[]): string {
  const rows = targets.map((target) => [
    target.label,
    target.column,
    `${formatNumber(target.measured, target.unit)} ${unitLabel(target.unit, target.measured)}`.trim(),
    `${target.op} ${formatNumber(target.threshold, target.unit)}`,
    target.pass ? 'pass' : target.kind === 'correctness' ? 'FAIL (error)' : 'miss',
  ]);
  return renderTable(['target', 'where', 'measured', 'wanted', 'result'], rows, (column) => column === 2);
}

export function printReport(report: ScenarioReport): void {
  const out: string[] = [];
  out.push('');
  out.push(`== ${report.scenario}: ${report.description}`);
  out.push(
    `   N=${report.n ?? '–'} seed=${report.seed} ${report.databases.map((db) => `${db.kind} ${db.version}`).join(', ')} · ${report.machine.cpus} CPUs · Node ${report.node} · ${report.machine.commit} · ${report.durationSeconds.toFixed(0)} s`,
  );
  for (const section of [...new Set(report.figures.map((figure) => figure.section))]) {
    const figures = report.figures.filter((figure) => figure.section === section);
    out.push('', figureTable(figures, section === '' ? 'figure' : section));
  }
  if (report.targets.length > 0) out.push('', targetTable(report.targets));
  for (const note of report.notes) out.push(`note: ${note}`);
  for (const error of report.errors) out.push(`ERROR: ${error}`);
  out.push(`status: ${report.status}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

// ---------------------------------------------------------------------------------------------
// Files

export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

/** `2026-04-09T10-11-12Z`: sortable, and safe in file names. */
export function fileTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
}

export function writeReport(report: ScenarioReport, startedAt: Date): string {
  const path = join(RESULTS_DIR, `${fileTimestamp(startedAt)}-${report.scenario}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}
