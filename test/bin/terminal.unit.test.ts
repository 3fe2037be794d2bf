/** The CLI's terminal output: log lines as text above the progress line, tables, local times. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/bin/context.js';
import { createProgressPrinter } from '../../src/bin/progress.js';
import { formatTable, localTime, prettyLogLine } from '../../src/bin/terminal.js';
import { testConfig } from '../../testkit/memory-source.js';

/** A stream that says it is a terminal and keeps what is written to it. */
function fakeTerminal(): NodeJS.WriteStream & { text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  }) as unknown as NodeJS.WriteStream & { text: () => string };
  stream.isTTY = true;
  stream.text = () => text;
  return stream;
}

const CLEAR = '\r\u001b[K';

describe('terminal output', () => {
  it('writes a log line above the progress line and redraws it, never inside it', async () => {
    const terminal = fakeTerminal();
    const log = createLogger({ ...testConfig('sqlite::memory:'), logLevel: 'info' }, terminal);
    const progress = createProgressPrinter(terminal);
    progress.update({
      source: 'kr-icreat',
      pages: 1,
      counts: { fetched: 10, created: 10, updated: 0, unchanged: 0, removed: 0, restored: 0, skipped: 0 },
      expectedTotal: 20,
    });
    log.warn({ source: 'kr-icreat', missing: ['KEY'] }, 'source kr-icreat is not configured');
    progress.done();
    await new Promise((resolve) => setImmediate(resolve));
    const bar = 'kr-icreat [############............] 50% 10/20 fetched, 10 new, 0 updated, page 1';
    const written = terminal.text();
    expect(written.startsWith(`${CLEAR}${bar}${CLEAR}`)).toBe(true);
    const logLine = written.slice(`${CLEAR}${bar}${CLEAR}`.length, written.indexOf('\n') + 1);
    expect(logLine).toMatch(
      /^\d{2}:\d{2}:\d{2} WARN {2}source kr-icreat is not configured source=kr-icreat missing=\["KEY"\]\n$/,
    );
    expect(written.endsWith(`\n${bar}${CLEAR}`)).toBe(true);
    expect(written).not.toContain('{"level"');
  });

  it('shows an error by its message, quotes values with blanks, and passes other text through', () => {
    const time = new Date(2026, 0, 2, 3, 4, 5).getTime();
    expect(
      prettyLogLine(
        JSON.stringify({
          level: 50,
          time,
          pid: 1,
          msg: 'harvest crashed',
          err: { message: 'boom', stack: 'x' },
          at: 'a b',
        }),
      ),
    ).toBe('03:04:05 ERROR harvest crashed err=boom at="a b"\n');
    expect(prettyLogLine('not json')).toBe('not json\n');
  });

  it('lines up columns under headers and shows local times with their zone', () => {
    expect(
      formatTable(
        ['A', 'BB'],
        [
          ['long value', 'x'],
          ['s', ''],
        ],
      ),
    ).toBe('A           BB\nlong value  x\ns\n');
    const at = Date.UTC(2026, 11, 3, 14, 5);
    const expected = new Date(at);
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(localTime(at)).toMatch(
      new RegExp(
        `^${expected.getFullYear()}-${pad(expected.getMonth() + 1)}-${pad(expected.getDate())} ${pad(expected.getHours())}:05( \\S+)?$`,
      ),
    );
  });
});
