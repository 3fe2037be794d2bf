import type { Hash } from 'node:crypto';
import { createHash } from 'node:crypto';
import type { FieldChange } from './trial.types.js';
import { isPlainObject } from './json.js';

/**
 * Per-source canonicalisation rules. Paths are dotted, with `[]` standing for "every element of
 * this array", e.g. `derivedSection.conditionBrowseModule.meshes` or `a.b[].c`.
 */
export interface CanonicalRules {
  /** Removed before hashing and diffing: they change without the record changing. */
  volatilePaths: readonly string[];
  /** Arrays whose order carries no meaning: sorted by their elements' canonical JSON. */
  unorderedPaths: readonly string[];
}

export const NO_RULES: CanonicalRules = { volatilePaths: [], unorderedPaths: [] };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The canonical form of a record: volatile paths removed, unordered arrays sorted, `undefined`
 * dropped. Object key order does not matter here because `canonicalJson` and `diffCanonical`
 * both walk keys in sorted order.
 */
export function canonicalize(value: unknown, rules: CanonicalRules = NO_RULES): Json {
  const volatile = new Set(rules.volatilePaths);
  const unordered = new Set(rules.unorderedPaths);
  const walk = (node: unknown, path: string): Json | undefined => {
    if (node === undefined || typeof node === 'function' || typeof node === 'symbol') return undefined;
    if (node === null || typeof node === 'boolean' || typeof node === 'string') return node;
    if (typeof node === 'number') return Number.isFinite(node) ? node : null;
    if (typeof node === 'bigint') return Number(node);
    if (Array.isArray(node)) {
      const items: Json[] = [];
      for (const item of node) items.push(walk(item, `${path}[]`) ?? null);
      if (unordered.has(path)) {
        const keyed = items.map((item) => [canonicalJson(item), item] as const);
        keyed.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
        return keyed.map(([, item]) => item);
      }
      return items;
    }
    if (isPlainObject(node)) {
      const out: Record<string, Json> = {};
      for (const key of Object.keys(node).sort()) {
        const childPath = path === '' ? key : `${path}.${key}`;
        if (volatile.has(childPath)) continue;
        const child = walk(node[key], childPath);
        if (child !== undefined) out[key] = child;
      }
      return out;
    }
    return null;
  };
  return walk(value, '') ?? null;
}

/** Stable JSON text of an already canonical value: keys sorted at every level, no spaces. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    if (record[key] === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  }
  return `{${parts.join(',')}}`;
}

/** SHA-256 (hex) of the canonical JSON text: the content hash of a version. */
export function contentHash(canonical: unknown): string {
  return createHash('sha256').update(canonicalJson(canonical)).digest('hex');
}

/** Text written before it is handed to the hash (a long rope costs more to flatten than short ones). */
const HASH_CHUNK_CHARS = 2048;
/** Quoted keys kept per serialiser: registries use a few hundred distinct keys. */
const KEY_CACHE_LIMIT = 10_000;

/**
 * Serialises records straight to their canonical JSON text, in one pass and without building the
 * canonical tree: `serializer.text(raw)` is byte for byte `canonicalJson(canonicalize(raw, rules))`
 * (so hashes stored by earlier versions keep matching), at a fraction of the cost. The harvest
 * hashes every record but needs the tree only to diff the few whose hash changed.
 *
 * Rule paths are matched as the walker does, on the dotted path text; that text is only built
 * while it is still a prefix of some rule, so subtrees no rule can reach are written directly.
 * The text is appended to one string; `hash` hands it to SHA-256 in chunks of about
 * `HASH_CHUNK_CHARS` as it grows instead of building the whole text first. Not re-entrant: one
 * record at a time per serialiser.
 */
export class CanonicalSerializer {
  readonly #volatile: ReadonlySet<string>;
  readonly #unordered: ReadonlySet<string>;
  /** Every prefix of every rule path: a path outside it can never extend to a rule path. */
  readonly #live: ReadonlySet<string>;
  readonly #quotedKeys = new Map<string, string>();
  #out = '';
  #sink: Hash | undefined;

  constructor(rules: CanonicalRules = NO_RULES) {
    this.#volatile = new Set(rules.volatilePaths);
    this.#unordered = new Set(rules.unorderedPaths);
    const live = new Set<string>();
    for (const path of [...rules.volatilePaths, ...rules.unorderedPaths]) {
      for (let i = 0; i <= path.length; i++) live.add(path.slice(0, i));
    }
    this.#live = live;
  }

  /** The canonical JSON text of a record. */
  text(value: unknown): string {
    this.#writeRoot(value);
    const text = this.#out;
    this.#out = '';
    return text;
  }

  /** SHA-256 (hex) of `text(value)`: equal to `contentHash(canonicalize(value, rules))`. */
  hash(value: unknown): string {
    const hash = createHash('sha256');
    this.#sink = hash;
    try {
      this.#writeRoot(value);
      hash.update(this.#out);
    } finally {
      this.#out = '';
      this.#sink = undefined;
    }
    return hash.digest('hex');
  }

  #writeRoot(value: unknown): void {
    this.#out = '';
    if (!this.#write(value, this.#live.has('') ? '' : undefined)) this.#out += 'null';
  }

  /** `"key":`, JSON-quoted once per distinct key. */
  #quoted(key: string): string {
    let quoted = this.#quotedKeys.get(key);
    if (quoted === undefined) {
      quoted = `${JSON.stringify(key)}:`;
      if (this.#quotedKeys.size < KEY_CACHE_LIMIT) this.#quotedKeys.set(key, quoted);
    }
    return quoted;
  }

  /**
   * Appends the node's text. `path` is the node's dotted path while it may still lead to a rule,
   * else undefined. Returns false, appending nothing, where `canonicalize` drops the value
   * (undefined, functions, symbols).
   */
  #write(node: unknown, path: string | undefined): boolean {
    switch (typeof node) {
      case 'string':
      case 'number':
      case 'boolean':
        // JSON.stringify writes non-finite numbers as null, as `canonicalize` makes them.
        this.#out += JSON.stringify(node);
        return true;
      case 'bigint':
        this.#out += JSON.stringify(Number(node));
        return true;
      case 'object':
        break;
      case 'undefined':
      case 'function':
      case 'symbol':
        return false;
    }
    if (node === null) {
      this.#out += 'null';
      return true;
    }
    if (Array.isArray(node)) {
      const itemPath = path === undefined ? undefined : this.#liveOrUndefined(`${path}[]`);
      if (path !== undefined && this.#unordered.has(path)) {
        this.#writeSorted(node, itemPath);
        return true;
      }
      this.#out += '[';
      for (let i = 0; i < node.length; i++) {
        if (i > 0) this.#out += ',';
        if (!this.#write(node[i], itemPath)) this.#out += 'null';
      }
      this.#out += ']';
      return true;
    }
    const record = node as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    this.#out += '{';
    let first = true;
    for (const key of keys) {
      // `canonicalize` assigns keys to a plain object, where `__proto__` sets the prototype instead
      // of a key: such a key never reached the canonical text, and hashes must stay the same.
      if (key === '__proto__') continue;
      let childPath: string | undefined;
      if (path !== undefined) {
        const full = path === '' ? key : `${path}.${key}`;
        if (this.#volatile.has(full)) continue;
        childPath = this.#liveOrUndefined(full);
      }
      const child = record[key];
      const type = typeof child;
      if (type === 'undefined' || type === 'function' || type === 'symbol') continue;
      this.#out += first ? this.#quoted(key) : `,${this.#quoted(key)}`;
      first = false;
      this.#write(child, childPath);
    }
    this.#out += '}';
    if (this.#sink !== undefined && this.#out.length >= HASH_CHUNK_CHARS) {
      this.#sink.update(this.#out);
      this.#out = '';
    }
    return true;
  }

  /** An unordered array: its items' texts, sorted, written whole (never split by a hash chunk). */
  #writeSorted(items: readonly unknown[], itemPath: string | undefined): void {
    const before = this.#out;
    const sink = this.#sink;
    this.#sink = undefined;
    const texts = new Array<string>(items.length);
    for (let i = 0; i < items.length; i++) {
      this.#out = '';
      if (!this.#write(items[i], itemPath)) this.#out = 'null';
      texts[i] = this.#out;
    }
    texts.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    this.#out = `${before}[${texts.join(',')}]`;
    this.#sink = sink;
  }

  #liveOrUndefined(path: string): string | undefined {
    return this.#live.has(path) ? path : undefined;
  }
}

function formatPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const safe = /^[^.[\]]+$/.test(key) ? key : JSON.stringify(key);
  return parent === '' ? safe : `${parent}.${safe}`;
}

/**
 * Field-level differences between two canonical values, as readable paths
 * (`protocolSection.statusModule.overallStatus`, `conditions[2]`). Objects are compared key by key,
 * arrays element by element; anything else is compared as a whole. `old`/`new` are left out where
 * the path is absent on that side.
 */
export function diffCanonical(before: unknown, after: unknown, path = ''): FieldChange[] {
  const changes: FieldChange[] = [];
  const walk = (a: unknown, b: unknown, at: string): void => {
    if (a === b) return;
    if (Array.isArray(a) && Array.isArray(b)) {
      const common = Math.min(a.length, b.length);
      for (let i = 0; i < common; i++) walk(a[i], b[i], formatPath(at, i));
      for (let i = common; i < a.length; i++) changes.push({ path: formatPath(at, i), old: a[i] });
      for (let i = common; i < b.length; i++) changes.push({ path: formatPath(at, i), new: b[i] });
      return;
    }
    if (isPlainObject(a) && isPlainObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const key of keys) {
        const childPath = formatPath(at, key);
        if (!(key in b)) changes.push({ path: childPath, old: a[key] });
        else if (!(key in a)) changes.push({ path: childPath, new: b[key] });
        else walk(a[key], b[key], childPath);
      }
      return;
    }
    if (canonicalJson(a) === canonicalJson(b)) return;
    changes.push({ path: at === '' ? '$' : at, old: a, new: b });
  };
  walk(before, after, path);
  return changes;
}
