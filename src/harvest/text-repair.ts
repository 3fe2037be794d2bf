/**
 * Text that neither database stores as given, found and repaired record by record before a write.
 *
 * JSON may escape any UTF-16 code unit, so a registry can send `"\ud83d"` alone (half an emoji cut
 * off) or `"\u0000"`, and JSON.parse gives a string holding it. A UTF-16 surrogate without its pair
 * is not a Unicode character: SQLite gets it as invalid UTF-8 (read back as U+FFFD), PostgreSQL's
 * driver turns it into U+FFFD silently in a text column, and PostgreSQL's JSON refuses the escape
 * (`invalid input syntax for type json`, failing the whole batch on every later run). NUL is refused
 * by PostgreSQL in text and in JSON alike. Each such code unit becomes U+FFFD in what is stored as
 * text (the trial's columns and document) and the record says where (`sourceFields.repairedText`);
 * the raw record keeps the upstream's exact bytes, so nothing the registry said is lost.
 */

// NUL is the control character looked for here.
/* eslint-disable no-control-regex */
/** A NUL or any surrogate: the quick test (a paired surrogate is then let through by the next one). */
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
/** NUL, a high surrogate not followed by a low one, or a low surrogate not after a high one. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/* eslint-enable no-control-regex */

/** Paths listed in `repairedText` at most (the count is always whole). */
const MAX_LISTED_PATHS = 20;

/** Whether both databases store `text` as it is. */
export function isStorableText(text: string): boolean {
  if (!SUSPECT.test(text)) return true;
  UNSTORABLE.lastIndex = 0;
  return !UNSTORABLE.test(text);
}

/** `text` with every NUL and lone surrogate replaced by U+FFFD. */
export function storableText(text: string): string {
  return isStorableText(text) ? text : text.replace(UNSTORABLE, '\uFFFD');
}

/** What `repairTree` found: the JSON paths of the repaired strings (keys included). */
export interface TextRepairs {
  count: number;
  paths: string[];
}

/**
 * The value with every string and key repaired (`storableText`); parts that need no repair are
 * the same objects, and a value that needs none is returned as is.
 */
export function repairTree(value: unknown, path: string, repairs: TextRepairs): unknown {
  if (typeof value === 'string') {
    if (isStorableText(value)) return value;
    note(repairs, path);
    return storableText(value);
  }
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const repaired = repairTree(item, `${path}[${i}]`, repairs);
      if (repaired !== item) {
        out ??= value.slice();
        out[i] = repaired;
      }
    }
    return out ?? value;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  let changed = false;
  for (const entry of entries) {
    const [key, item] = entry;
    if (!isStorableText(key)) {
      entry[0] = storableText(key);
      note(repairs, `${path}.${entry[0]} (key)`);
      changed = true;
    }
    const repaired = repairTree(item, `${path}.${entry[0]}`, repairs);
    if (repaired !== item) {
      entry[1] = repaired;
      changed = true;
    }
  }
  return changed ? Object.fromEntries(entries) : value;
}

function note(repairs: TextRepairs, path: string): void {
  repairs.count++;
  if (repairs.paths.length < MAX_LISTED_PATHS) repairs.paths.push(path);
}
