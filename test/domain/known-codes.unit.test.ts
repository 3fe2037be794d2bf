/**
 * Issue 20.8: the `status`, `phase` and `studyType` filters refuse codes no mapper gives. So that no
 * real value is ever refused, every record of the fixtures of every registry (the iCReaT snapshots,
 * the ClinicalTrials.gov studies, the CRIS list items and details) is mapped by its real mapper and
 * each code it gets must be known; and the vocabulary's edges are checked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabelledCode } from '../../src/domain/labels.js';
import { isKnownCode, knownCodes } from '../../src/domain/labels.js';
import type { TrialFields } from '../../src/domain/trial.types.js';
import { mapCrisRecord } from '../../src/sources/cris/cris-mapper.js';
import { phaseCodeOf } from '../../src/sources/cris/cris-vocabulary.js';
import { mapCtgovStudy } from '../../src/sources/ctgov/ctgov-mapper.js';
import { mapKrIcreatRecord } from '../../src/sources/kr-icreat/kr-icreat-mapper.js';
import { realCrisTrials } from '../../testkit/fake-cris.js';
import { fixturesDir } from '../../testkit/fake-upstream.js';

const KINDS: LabelledCode[] = ['status', 'phase', 'studyType'];

function fieldsOfFixtures(): { source: string; fields: TrialFields }[] {
  const out: { source: string; fields: TrialFields }[] = [];
  for (const name of ['kr-snapshot-2021-11.json', 'kr-snapshot-2022-05.json']) {
    const body = JSON.parse(readFileSync(join(fixturesDir(), 'kr', name), 'utf8')) as { data: unknown[] };
    for (const record of body.data)
      out.push({ source: 'kr-icreat', fields: mapKrIcreatRecord(record).fields });
  }
  const ctgov = join(fixturesDir(), 'ctgov');
  for (const name of readdirSync(ctgov).filter((file) => /^NCT\d+\.json$/.test(file))) {
    const study = JSON.parse(readFileSync(join(ctgov, name), 'utf8')) as unknown;
    out.push({ source: 'ctgov', fields: mapCtgovStudy(study).fields });
  }
  for (const trial of realCrisTrials()) out.push({ source: 'cris', fields: mapCrisRecord(trial).fields });
  return out;
}

describe('the codes the filters accept', () => {
  it('include every code the mappers give the fixtures of all three registries', () => {
    const mapped = fieldsOfFixtures();
    const sources = new Set(mapped.map((entry) => entry.source));
    expect([...sources].sort()).toEqual(['cris', 'ctgov', 'kr-icreat']);
    const seen = new Map<LabelledCode, Set<string>>(KINDS.map((kind) => [kind, new Set()]));
    const unknown: string[] = [];
    for (const { source, fields } of mapped) {
      for (const kind of KINDS) {
        const code = fields[kind];
        if (code === null) continue;
        seen.get(kind)?.add(code);
        if (!isKnownCode(kind, code)) unknown.push(`${source} ${kind} ${code}`);
      }
    }
    expect(unknown).toEqual([]);
    // The fixtures do carry the mixed vocabularies: iCReaT's designs in the phase column, joined phases.
    expect([...(seen.get('phase') ?? [])]).toEqual(expect.arrayContaining(['COHORT', 'PHASE1/PHASE2']));
    expect(seen.get('status')?.size).toBeGreaterThan(3);
  });

  it('take the joined phases CRIS can name, and nothing else', () => {
    for (const label of ['1/2상', 'Phase II/III', '2상', '초기1상', '해당사항없음']) {
      const code = phaseCodeOf(label);
      expect(code, label).not.toBeNull();
      expect(isKnownCode('phase', code!), label).toBe(true);
    }
    expect(isKnownCode('phase', 'PHASE1/PHASE2/PHASE3')).toBe(true);
    for (const code of ['PHASE5', 'PHASE1/', 'PHASE1//PHASE2', 'FOO', 'phase1']) {
      expect(isKnownCode('phase', code), code).toBe(false);
    }
    expect(isKnownCode('status', 'FOO')).toBe(false);
    expect(isKnownCode('studyType', 'EXPANDED_ACCESS')).toBe(true);
    expect(knownCodes('phase')).toEqual(
      expect.arrayContaining(['PHASE1', 'NA', 'COHORT', 'CROSS_SECTIONAL']),
    );
  });
});
