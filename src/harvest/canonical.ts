import { createHash } from 'node:crypto';
import type { FieldChange } from '../domain/trial.types.js';

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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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

/**
 * Serialises records straight to their canonical JSON text, in one pass and without building the
 * canonical tree: `serializer.text(raw)` is byte for byte `canonicalJson(canonicalize(raw, rules))`
 * (so hashes stored by earlier versions keep matching), at a fraction of the cost. The harvest
 * hashes every record but needs the tree only to diff the few whose hash changed.
 *
 * Rule paths are matched as the walker does, on the dotted path text; that text is only built
 * while it is still a prefix of some rule, so subtrees no rule can reach are written directly.
 */
export class CanonicalSerializer {
  readonly #volatile: ReadonlySet<string>;
  readonly #unordered: ReadonlySet<string>;
  /** Every prefix of every rule path: a path outside it can never extend to a rule path. */
  readonly #live: ReadonlySet<string>;

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
    return this.#write(value, this.#live.has('') ? '' : undefined) ?? 'null';
  }

  /** SHA-256 (hex) of `text(value)`: equal to `contentHash(canonicalize(value, rules))`. */
  hash(value: unknown): string {
    return createHash('sha256').update(this.text(value)).digest('hex');
  }

  /**
   * `path` is the node's dotted path while it may still lead to a rule, else undefined. Returns
   * undefined where `canonicalize` drops the value (undefined, functions, symbols).
   */
  #write(node: unknown, path: string | undefined): string | undefined {
    switch (typeof node) {
      case 'string':
      case 'number':
      case 'boolean':
        // JSON.stringify writes non-finite numbers as null, as `canonicalize` makes them.
        return JSON.stringify(node);
      case 'bigint':
        return JSON.stringify(Number(node));
      case 'object':
        break;
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
    }
    if (node === null) return 'null';
    if (Array.isArray(node)) {
      const itemPath = path === undefined ? undefined : this.#liveOrUndefined(`${path}[]`);
      const items: string[] = new Array<string>(node.length);
      for (let i = 0; i < node.length; i++) items[i] = this.#write(node[i], itemPath) ?? 'null';
      if (path !== undefined && this.#unordered.has(path)) {
        items.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      }
      return `[${items.join(',')}]`;
    }
    const record = node as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    let out = '{';
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
      const child = this.#write(record[key], childPath);
      if (child === undefined) continue;
      out += first ? `${JSON.stringify(key)}:${child}` : `,${JSON.stringify(key)}:${child}`;
      first = false;
    }
    return `${out}}`;
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
