import { describe, expect, it } from 'vitest';
import { ReadAhead } from '../../src/harvest/read-ahead.js';

/** An async generator that logs when each item is requested and produced. */
function pages(log: string[], count: number, failAt?: number): AsyncGenerator<number, string, void> {
  return (async function* () {
    for (let i = 1; i <= count; i++) {
      log.push(`fetch ${i}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (i === failAt) throw new Error(`page ${i} failed`);
      yield i;
    }
    log.push('end');
    return 'done';
  })();
}

describe('ReadAhead', () => {
  it('requests the next item while the current one is processed, never two ahead', async () => {
    const log: string[] = [];
    const ahead = new ReadAhead(pages(log, 3));
    const seen: number[] = [];
    for (;;) {
      const result = await ahead.next();
      if (result.done === true) {
        expect(result.value).toBe('done');
        break;
      }
      log.push(`process ${result.value}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
      seen.push(result.value);
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(log).toEqual(['fetch 1', 'fetch 2', 'process 1', 'fetch 3', 'process 2', 'end', 'process 3']);
  });

  it('passes a failure on to the caller in order, and a failure left behind is not unhandled', async () => {
    const log: string[] = [];
    const ahead = new ReadAhead(pages(log, 3, 2));
    expect(await ahead.next()).toEqual({ done: false, value: 1 });
    await expect(ahead.next()).rejects.toThrow('page 2 failed');

    // A caller that stops after the first item: the failing request it left behind is swallowed.
    const abandoned = new ReadAhead(pages([], 3, 2));
    expect(await abandoned.next()).toEqual({ done: false, value: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
});
