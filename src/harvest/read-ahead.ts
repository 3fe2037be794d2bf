/**
 * One step of read-ahead over an async iterator: while the caller works on the item it was given,
 * the next one is already being produced (for a harvest: the next upstream page downloads and
 * parses while this one is written). Never more than one item ahead, so memory stays flat at two
 * pages at most.
 */
export class ReadAhead<T, R> {
  #pending: Promise<IteratorResult<T, R>>;

  constructor(private readonly iterator: AsyncIterator<T, R, void>) {
    this.#pending = this.#request();
  }

  /** The next result, and the request for the one after it (unless this one ends the iteration). */
  async next(): Promise<IteratorResult<T, R>> {
    const result = await this.#pending;
    if (result.done !== true) this.#pending = this.#request();
    return result;
  }

  #request(): Promise<IteratorResult<T, R>> {
    const request = this.iterator.next();
    // A caller that stops early (error, abort) never awaits the request it left behind: its failure
    // must not surface as an unhandled rejection. `next()` still sees it.
    request.catch(() => undefined);
    return request;
  }
}
