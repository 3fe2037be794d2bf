import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors/app-error.js';
import {
  parseSearch,
  SEARCH_MAX_LENGTH,
  SEARCH_MAX_TERMS,
  stemOf,
  substringOf,
  wordsOf,
} from '../../src/services/search-query.js';

const terms = (q: string) => parseSearch(q)?.terms;

function rejects(q: string): string {
  try {
    parseSearch(q);
  } catch (error) {
    expect(isAppError(error)).toBe(true);
    if (isAppError(error)) {
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toMatchObject({ parameter: 'q' });
      return error.message;
    }
  }
  throw new Error(`"${q}" was accepted`);
}

describe('parseSearch', () => {
  it('treats an absent or blank q as no search', () => {
    expect(parseSearch(undefined)).toBeUndefined();
    expect(parseSearch('')).toBeUndefined();
    expect(parseSearch('  \t ')).toBeUndefined();
  });

  it('matches English words by their stem, as a prefix, both ways between singular and plural', () => {
    expect(terms('lymphoma')).toEqual([{ kind: 'prefix', stem: 'lymphoma', negated: false }]);
    expect(terms('Lymphomas')).toEqual([{ kind: 'prefix', stem: 'lymphoma', negated: false }]);
    expect(terms('studies')).toEqual(terms('Study'));
    expect(terms('vaccination')).toEqual(terms('vaccines'));
    expect(terms('diseases')).toEqual(terms('disease'));
    expect(stemOf('treated')).toBe('treat');
    expect(stemOf('smoking')).toBe('smok');
    expect(stemOf('virus')).toBe('virus');
    expect(stemOf('sepsis')).toBe('sepsis');
  });

  it('keeps short words exact (with their plural), and words with digits or ids exact', () => {
    expect(terms('arm')).toEqual([{ kind: 'anyOf', words: ['arm', 'arms'], negated: false }]);
    expect(terms('NCT01234567')).toEqual([{ kind: 'phrase', words: ['nct01234567'], negated: false }]);
    expect(terms('C130011')).toEqual([{ kind: 'phrase', words: ['c130011'], negated: false }]);
    expect(terms('KCT0000145')).toEqual([{ kind: 'phrase', words: ['kct0000145'], negated: false }]);
  });

  it('folds case and Latin accents like the index, and splits where the index splits', () => {
    expect(wordsOf('Hôpitaux de PARIS')).toEqual(['hopitaux', 'de', 'paris']);
    expect(wordsOf('COVID-19; non-small-cell')).toEqual(['covid', '19', 'non', 'small', 'cell']);
    // Number signs PostgreSQL's parser splits on are separators on both databases.
    expect(wordsOf('10¹²/L ½dose')).toEqual(['10', 'l', 'dose']);
    expect(terms('COVID-19')).toEqual([{ kind: 'phrase', words: ['covid', '19'], negated: false }]);
  });

  it('makes Korean text a substring term, trimmed of edge punctuation, with ASCII letters folded', () => {
    expect(terms('림프종')).toEqual([{ kind: 'substring', text: '림프종', negated: false }]);
    expect(terms('(천식),')).toEqual([{ kind: 'substring', text: '천식', negated: false }]);
    expect(terms('B형간염')).toEqual([{ kind: 'substring', text: 'b형간염', negated: false }]);
    expect(substringOf('  우울증\n 환자 ')).toBe('우울증 환자');
  });

  it('reads quoted phrases, excluded words and excluded phrases', () => {
    expect(terms('"lung cancer" -smokers -"B형 간염" 천식')).toEqual([
      { kind: 'phrase', words: ['lung', 'cancer'], negated: false },
      { kind: 'prefix', stem: 'smoker', negated: true },
      { kind: 'substring', text: 'b형 간염', negated: true },
      { kind: 'substring', text: '천식', negated: false },
    ]);
    // Curly quotes are quotes; an unclosed quote runs to the end.
    expect(terms('\u201Cbreast cancer\u201D')).toEqual(terms('"breast cancer"'));
    expect(terms('"open ended')).toEqual([{ kind: 'phrase', words: ['open', 'ended'], negated: false }]);
  });

  it('drops duplicate terms and keeps a stable key', () => {
    expect(terms('asthma Asthma ASTHMA')).toHaveLength(1);
    expect(parseSearch('asthma copd')?.key).toBe(parseSearch(' asthma  copd ')?.key);
    expect(parseSearch('asthma copd')?.key).not.toBe(parseSearch('asthma -copd')?.key);
  });

  it('refuses what it cannot search: nothing searchable, too many terms, too long', () => {
    expect(rejects('!!! -- ***')).toContain('nothing to search for');
    expect(rejects('"" -')).toContain('nothing to search for');
    const many = Array.from({ length: SEARCH_MAX_TERMS + 1 }, (_, i) => `w${i}`).join(' ');
    expect(rejects(many)).toContain(`more than ${SEARCH_MAX_TERMS} terms`);
    expect(rejects('a'.repeat(SEARCH_MAX_LENGTH + 1))).toContain(`${SEARCH_MAX_LENGTH} characters`);
    // Characters, not UTF-16 units: 200 Hangul syllables or emoji are within the limit.
    expect(parseSearch('가'.repeat(SEARCH_MAX_LENGTH))).toBeDefined();
    expect(parseSearch('😀a'.repeat(SEARCH_MAX_LENGTH / 2))).toBeDefined();
  });

  it('never lets control characters or query syntax through as syntax', () => {
    expect(terms('a\u0000b\u001Fc')).toEqual([
      { kind: 'anyOf', words: ['a', 'as'], negated: false },
      { kind: 'anyOf', words: ['b', 'bs'], negated: false },
      { kind: 'anyOf', words: ['c', 'cs'], negated: false },
    ]);
    expect(terms('NEAR(a b) OR x* AND {title}:y')?.every((term) => term.kind !== 'substring')).toBe(true);
    for (const term of terms("'; DROP TABLE trials; --") ?? []) {
      if (term.kind === 'prefix') expect(term.stem).toMatch(/^[\p{L}\p{N}]+$/u);
      if (term.kind === 'phrase' || term.kind === 'anyOf')
        for (const word of term.words) expect(word).toMatch(/^[\p{L}\p{N}]+$/u);
    }
  });
});
