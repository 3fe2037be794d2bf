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
