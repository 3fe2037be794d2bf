/**
 * Opaque, tamper-evident page cursors: `base64url(JSON payload) "." base64url(HMAC-SHA256)`,
 * the MAC truncated to 128 bits. Each cursor kind has its own tag inside the signed payload, so a
 * cursor of one list is refused by another ("foreign"), and its own TypeBox shape, checked after
 * the MAC so that even a cursor signed with a leaked key cannot reach the database malformed.
 * Every failure is `INVALID_CURSOR` (400), never a 500.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Static, TInteger, TSchema, TString } from 'typebox';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { AppError } from '../errors/app-error.js';

/** Longest cursor accepted; ours stay far below (a query hash, a position, a few numbers). */
export const MAX_CURSOR_LENGTH = 1024;
const MAC_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * A cursor field that reaches a bigint column (a change seq, a run id): a whole number the
 * column and a JavaScript number both hold exactly, so `1e300` or `2^63` never reach the database.
 */
export function CursorInteger(minimum = 0): TInteger {
  return Type.Integer({ minimum, maximum: Number.MAX_SAFE_INTEGER });
}

/** A cursor field holding epoch milliseconds: the range a JavaScript `Date` can represent. */
export function CursorEpochMs(): TInteger {
  return Type.Integer({ minimum: -8_640_000_000_000_000, maximum: 8_640_000_000_000_000 });
}

/** A cursor field that reaches a text column: bounded, and without control characters (NUL). */
export function CursorText(maxLength: number): TString {
  return Type.String({ maxLength, pattern: '^[^\\u0000-\\u001f]*$' });
}

export interface CursorType<T> {
  encode(payload: T): string;
  /** Throws `INVALID_CURSOR` for anything not issued by `encode` of this kind and key. */
  decode(text: string): T;
}

/** Where the key comes from: the secret itself, or a loader (the database) called on first use. */
export type CursorSecret = string | Buffer | (() => Promise<string>);

export class CursorCodec {
  #key: Buffer | undefined;
  #loading: Promise<void> | undefined;
  readonly #load: (() => Promise<string>) | undefined;

  /** `secret` must be the same on every process serving the same database. */
  constructor(secret: CursorSecret) {
    if (typeof secret === 'function') this.#load = secret;
    else this.#key = CursorCodec.#derive(secret);
  }

  static #derive(secret: string | Buffer): Buffer {
    return createHmac('sha256', 'trialwatch-cursor').update(secret).digest();
  }

  /**
   * Resolves once the key is known. A loaded key is fetched once (a failed load, say the database
   * being down, is retried by the next caller); routes that read or write cursors await it first.
   */
  ready(): Promise<void> {
    if (this.#key !== undefined || this.#load === undefined) return Promise.resolve();
    this.#loading ??= this.#load().then(
      (secret) => {
        this.#key = CursorCodec.#derive(secret);
      },
      (error: unknown) => {
        this.#loading = undefined;
        throw error;
      },
    );
    return this.#loading;
  }

  #mac(body: string): Buffer {
    if (this.#key === undefined) throw new Error('CursorCodec used before ready() resolved');
    return createHmac('sha256', this.#key).update(body).digest().subarray(0, MAC_BYTES);
  }

  /** A cursor type: `kind` tags it, `schema` is the shape its payload must have. */
  define<S extends TSchema>(kind: string, schema: S): CursorType<Static<S>> {
    const check = Compile(schema);
    const invalid = (detail: string, cause?: unknown): AppError =>
      new AppError('INVALID_CURSOR', `The cursor is not valid: ${detail}. Start again without a cursor.`, {
        ...(cause === undefined ? {} : { cause }),
      });
    return {
      encode: (payload) => {
        const body = Buffer.from(JSON.stringify({ k: kind, p: payload }), 'utf8').toString('base64url');
        return `${body}.${this.#mac(body).toString('base64url')}`;
      },
      decode: (text) => {
        if (text.length > MAX_CURSOR_LENGTH) throw invalid('it is too long');
        const dot = text.indexOf('.');
        const body = text.slice(0, dot);
        const mac = text.slice(dot + 1);
        if (dot <= 0 || !BASE64URL.test(body) || !BASE64URL.test(mac)) throw invalid('it is malformed');
        const given = Buffer.from(mac, 'base64url');
        if (given.length !== MAC_BYTES || !timingSafeEqual(given, this.#mac(body))) {
          throw invalid('it was altered or was not issued by this service');
        }
        let envelope: unknown;
        try {
          envelope = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
        } catch (error) {
          throw invalid('it is malformed', error);
        }
        const { k, p } = (envelope ?? {}) as { k?: unknown; p?: unknown };
        if (k !== kind) throw invalid('it belongs to another list');
        if (!check.Check(p)) throw invalid('it is malformed');
        return p;
      },
    };
  }
}
