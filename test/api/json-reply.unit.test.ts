/**
 * Pages are sent as UTF-8 bytes encoded a few pieces at a time (src/api/json-reply.ts `jsonBytes`):
 * the bytes are exactly those of the whole text, whatever the pieces' sizes and characters (Korean,
 * characters outside the BMP, pieces larger than one run), and a page's bytes are those of
 * `JSON.stringify` of the page.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changePageBytes, changeEventView } from '../../src/api/change-format.js';
import { jsonBytes } from '../../src/api/json-reply.js';
import type { ChangeEvent } from '../../src/domain/trial-read.types.js';

// Whole JSON strings, as the pages' pieces are: Hangul, emoji (surrogate pairs), ASCII.
const piece = fc
  .array(fc.constantFrom('a', '"', '\\', '상태', '변경 → 완료', '😀', '\u2028', 'x'.repeat(1000)), {
    maxLength: 40,
  })
  .map((parts) => JSON.stringify(parts.join('')));

describe('jsonBytes', () => {
  it('encodes the same bytes as the whole text', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        expect(jsonBytes(pieces).equals(Buffer.from(pieces.join(''), 'utf8'))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('handles no pieces, an empty piece and one piece larger than a run', () => {
    expect(jsonBytes([]).length).toBe(0);
    expect(jsonBytes(['']).length).toBe(0);
    const big = JSON.stringify('변경'.repeat(40_000));
    expect(jsonBytes(['[', big, ',', big, ']']).equals(Buffer.from(`[${big},${big}]`, 'utf8'))).toBe(true);
  });
});

describe('changePageBytes', () => {
  it('is the UTF-8 of JSON.stringify of the page, over 64 K characters too', () => {
    const events: ChangeEvent[] = Array.from({ length: 150 }, (_, i) => ({
      seq: i + 1,
      trialId: `NCT${String(i).padStart(8, '0')}`,
      source: 'ctgov',
      version: 2,
      kind: 'updated',
      paths: ['protocolSection.statusModule.overallStatus'],
      occurredAt: Date.UTC(2026, 0, 1) + i,
      runId: 7,
      classification: {
        material: true,
        summary: { en: 'Status: Recruiting → Completed', ko: '상태: 모집 중 → 완료 😀' },
        changes: [
          {
            type: 'status',
            field: 'status',
            from: 'RECRUITING',
            to: 'COMPLETED',
            summary: { en: 'Status: Recruiting → Completed', ko: '상태: 모집 중 → 완료' },
          },
        ],
      },
    }));
    const bytes = changePageBytes(events, 'cursor', true);
    const parsed = JSON.parse(bytes.toString('utf8')) as { items: unknown[] };
    expect(bytes.toString('utf8').length).toBeGreaterThan(65_536);
    expect(parsed).toEqual(
      JSON.parse(JSON.stringify({ items: events.map(changeEventView), nextCursor: 'cursor', hasMore: true })),
    );
    expect(parsed.items).toHaveLength(150);
  });
});
