import type { Logger } from '../../src/sources/source.types.js';

/**
 * A logger for a bench process: messages at `from` and above go to stderr with `label`, the rest
 * nowhere (a bench's own output is its figures).
 */
export function stderrLog(label: string, from: 'warn' | 'error'): Logger {
  const write = (level: string) => (object: object, message?: string) =>
    void process.stderr.write(`[${label} ${level}] ${message ?? ''} ${JSON.stringify(object)}\n`);
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: from === 'warn' ? write('warn') : () => undefined,
    error: write('error'),
  };
}
