/** Helpers for source unit tests: read a page stream to its end, and catch the AppError a call throws. */
import { AppError } from '../../src/errors/app-error.js';
import type { ListingEnd, PageStream, SourcePage } from '../../src/sources/source.types.js';

export async function thrownAsync(action: () => Promise<unknown>): Promise<AppError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Every page of the stream, and how the listing ended. */
export async function drain(stream: PageStream): Promise<{ pages: SourcePage[]; end: ListingEnd }> {
  const pages: SourcePage[] = [];
  for (;;) {
    const next = await stream.next();
    if (next.done === true) return { pages, end: next.value };
    pages.push(next.value);
  }
}
