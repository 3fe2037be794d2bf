/**
 * What the CLI shows a person at a terminal: log lines as text instead of JSON, a status line
 * (the progress of a harvest) that log lines never break into, tables and local times.
 *
 * Why not pino-pretty: it is not a dependency, and the few lines here are all the CLI needs (a
 * synchronous destination, so a log line and the status line are written in order).
 */
import { inspect } from 'node:util';

/** The status line being shown on a stream, redrawn under each log line written above it. */
const statusLines = new WeakMap<NodeJS.WritableStream, string>();

const CLEAR_LINE = '\r\u001b[K';

/** Shows `text` as the stream's status line (one line, rewritten in place). */
export function showStatus(stream: NodeJS.WritableStream, text: string): void {
  statusLines.set(stream, text);
  stream.write(`${CLEAR_LINE}${text}`);
}

/** Removes the status line, leaving the cursor at the start of an empty line. */
export function clearStatus(stream: NodeJS.WritableStream): void {
  if (!statusLines.has(stream)) return;
  statusLines.delete(stream);
  stream.write(CLEAR_LINE);
}

/** Writes whole lines above the status line (which is redrawn after them). */
export function writeAboveStatus(stream: NodeJS.WritableStream, text: string): void {
  const status = statusLines.get(stream);
  stream.write(status === undefined ? text : `${CLEAR_LINE}${text}${status}`);
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
/** Fields every line has, shown in the prefix or not at all. */
const PREFIX_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/**
 * One pino JSON line as a line of text: local time, level, message, then the other fields as
 * `key=value` (an error as its message; its stack at level debug and below).
 */
export function prettyLogLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time) : new Date();
  const clock = `${twoDigits(time.getHours())}:${twoDigits(time.getMinutes())}:${twoDigits(time.getSeconds())}`;
  const level = typeof entry.level === 'number' ? entry.level : 30;
  const parts = [
    clock,
    (LEVEL_NAMES[level] ?? String(level)).padEnd(5),
    typeof entry.msg === 'string' ? entry.msg : '',
  ];
  for (const [key, value] of Object.entries(entry)) {
    if (PREFIX_FIELDS.has(key)) continue;
    if (key === 'err' && value !== null && typeof value === 'object') {
      const err = value as { message?: unknown; stack?: unknown };
      parts.push(`err=${fieldText(err.message ?? inspect(value))}`);
      if (level <= 20 && typeof err.stack === 'string') parts.push(`\n${err.stack}`);
      continue;
    }
    parts.push(`${key}=${fieldText(value)}`);
  }
  return `${parts.join(' ')}\n`;
}

/**
 * A pino destination that writes each line as text (`prettyLogLine`) above the status line of
 * `stream`, synchronously.
 */
export function prettyDestination(stream: NodeJS.WritableStream = process.stderr): {
  write(line: string): void;
} {
  return {
    write(line) {
      writeAboveStatus(stream, prettyLogLine(line));
    },
  };
}

/** Epoch ms as the machine's local date and time to the minute, with its zone: `2026-12-03 23:05 KST`. */
export function localTime(epochMs: number): string {
  const date = new Date(epochMs);
  const zone =
    new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
      .formatToParts(date)
      .find((part) => part.type === 'timeZoneName')?.value ?? '';
  const day = `${date.getFullYear()}-${twoDigits(date.getMonth() + 1)}-${twoDigits(date.getDate())}`;
  return `${day} ${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}${zone === '' ? '' : ` ${zone}`}`;
}

/** Rows under headers, in columns two spaces apart (the last column is not padded). */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].map((text) => `${text}\n`).join('');
}
