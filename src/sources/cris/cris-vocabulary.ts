/**
 * The CRIS registry's values made comparable: text cleaned, dates normalised, and its Korean and
 * English labels (status, study type, phase, intervention type, gender, age, date type) read into
 * codes. Pure; used by the mapper.
 */

/** One intervention type found in the registry's label, with the part of the label it came from. */
export interface CrisInterventionType {
  code: string | null;
  label: string;
}

export interface CrisAge {
  value: number;
  unit: 'YEARS' | 'MONTHS' | 'WEEKS' | 'DAYS';
}

/** One line of text: every run of blanks and line breaks becomes one space; blank → null. */
export function cleanLine(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const cleaned = value.replace(/\s+/g, ' ').trim();
  return cleaned === '' ? null : cleaned;
}

/** Free text: `\r\n` → `\n`, blanks folded inside lines, no more than one empty line; blank → null. */
export function cleanText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const cleaned = value
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return cleaned === '' ? null : cleaned;
}

/**
 * `2011/07/18` (detail), `2011-07-18` (list), `2011.7.18` and `20110718` → `2011-07-18`; anything
 * else, including impossible dates, → null.
 */
export function normalizeCrisDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (match === null) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return `${match[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Lower-case letters and digits only (Hangul included), for comparing labels. */
function fold(value: string): string {
  return value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

export function lookup(table: Readonly<Record<string, string>>, label: string | null): string | null {
  return label === null ? null : (table[fold(label)] ?? null);
}

/** The seven values the English side is known to take, plus ClinicalTrials.gov's by-invitation. */
export const STATUS_EN: Readonly<Record<string, string>> = {
  recruiting: 'RECRUITING',
  notyetrecruiting: 'NOT_YET_RECRUITING',
  activenotrecruiting: 'ACTIVE_NOT_RECRUITING',
  suspended: 'SUSPENDED',
  terminated: 'TERMINATED',
  completed: 'COMPLETED',
  withdrawn: 'WITHDRAWN',
  enrollingbyinvitation: 'ENROLLING_BY_INVITATION',
};

/** Korean labels seen in captures or named by other clients; the full vocabulary is not known. */
export const STATUS_KR: Readonly<Record<string, string>> = {
  대상자모집중: 'RECRUITING',
  모집중: 'RECRUITING',
  대상자모집전: 'NOT_YET_RECRUITING',
  모집전: 'NOT_YET_RECRUITING',
  연구종결: 'COMPLETED',
  연구철회: 'WITHDRAWN',
};

export const STUDY_TYPES: Readonly<Record<string, string>> = {
  중재연구: 'INTERVENTIONAL',
  관찰연구: 'OBSERVATIONAL',
  기타: 'OTHER',
  interventionalstudy: 'INTERVENTIONAL',
  interventional: 'INTERVENTIONAL',
  observationalstudy: 'OBSERVATIONAL',
  observational: 'OBSERVATIONAL',
  other: 'OTHER',
};

/**
 * `해당사항없음`/`Not applicable` → NA; `초기1상`/`Early Phase 1`/`Phase 0` → EARLY_PHASE1; `2상`,
 * `제2상`, `Phase 2`, `Phase II` → PHASE2; several (`1/2상`, `Phase1/Phase2`) → PHASE1/PHASE2.
 * Blank or anything else → null (the label stays in `sourceFields`).
 */
export function phaseCodeOf(label: string | null): string | null {
  if (label === null) return null;
  const folded = fold(label);
  if (['해당사항없음', '해당없음', 'notapplicable', 'na', 'none'].includes(folded)) return 'NA';
  if (['초기1상', '0상', 'earlyphase1', 'phase0'].includes(folded)) return 'EARLY_PHASE1';
  const roman: Readonly<Record<string, string>> = { i: '1', ii: '2', iii: '3', iv: '4' };
  const phases = new Set<string>();
  // `2상`, `2a상`, `1/2상` (the phase named once after both numbers), `Phase 2a`, `Phase II/III`.
  for (const match of label.matchAll(/([1-4])[ab]?\s*(?:[/,~-]\s*([1-4])[ab]?\s*)?상/gi)) {
    for (const value of [match[1], match[2]]) if (value !== undefined) phases.add(value);
  }
  for (const match of label.matchAll(
    /phase\s*(iv|i{1,3}|[1-4])[ab]?(?:\s*[/,~-]\s*(?:phase\s*)?(iv|i{1,3}|[1-4])[ab]?)?(?![a-z0-9])/gi,
  )) {
    for (const value of [match[1], match[2]]) {
      if (value !== undefined) phases.add(roman[value.toLowerCase()] ?? value);
    }
  }
  if (phases.size === 0) return null;
  return [...phases]
    .sort()
    .map((phase) => `PHASE${phase}`)
    .join('/');
}

/**
 * Intervention types, keyed by their folded label. The list joins several types with no
 * separator (`의약품방사선`, `생물학적제제백신줄기세포를제외한생물학적제제백신`), apparently with
 * punctuation dropped, so labels are split by longest match against this vocabulary. Codes are
 * ClinicalTrials.gov's intervention types.
 */
const INTERVENTION_TYPES_KR: Readonly<Record<string, string>> = {
  // "생물학적제제(백신, 줄기세포를 제외한 생물학적제제)" with its punctuation dropped.
  생물학적제제백신줄기세포를제외한생물학적제제: 'BIOLOGICAL',
  생물학적제제: 'BIOLOGICAL',
  백신: 'BIOLOGICAL',
  줄기세포: 'BIOLOGICAL',
  의약품: 'DRUG',
  의료기구: 'DEVICE',
  의료기기: 'DEVICE',
  시술수술: 'PROCEDURE',
  시술: 'PROCEDURE',
  수술: 'PROCEDURE',
  방사선: 'RADIATION',
  행동요인: 'BEHAVIORAL',
  유전자치료: 'GENETIC',
  유전자: 'GENETIC',
  식이보충제: 'DIETARY_SUPPLEMENT',
  건강기능식품: 'DIETARY_SUPPLEMENT',
  기타: 'OTHER',
};

export const INTERVENTION_TYPES_EN: Readonly<Record<string, string>> = {
  drug: 'DRUG',
  medicaldevice: 'DEVICE',
  device: 'DEVICE',
  biological: 'BIOLOGICAL',
  biologic: 'BIOLOGICAL',
  vaccine: 'BIOLOGICAL',
  stemcell: 'BIOLOGICAL',
  proceduresurgery: 'PROCEDURE',
  procedure: 'PROCEDURE',
  surgery: 'PROCEDURE',
  radiation: 'RADIATION',
  behavioral: 'BEHAVIORAL',
  behavioural: 'BEHAVIORAL',
  genetic: 'GENETIC',
  dietarysupplement: 'DIETARY_SUPPLEMENT',
  others: 'OTHER',
  other: 'OTHER',
};

/**
 * Splits an intervention type label into the types it joins: explicit separators first (`,`, `;`,
 * line breaks), then, inside each part, the longest known label at each position. Text that
 * matches no known label is kept as one type with a null code, never dropped.
 */
export function splitInterventionTypes(
  value: unknown,
  vocabulary: Readonly<Record<string, string>> = INTERVENTION_TYPES_KR,
): CrisInterventionType[] {
  if (typeof value !== 'string') return [];
  const keys = Object.keys(vocabulary).sort((a, b) => b.length - a.length);
  const found: CrisInterventionType[] = [];
  const push = (type: CrisInterventionType) => {
    if (!found.some((seen) => seen.code === type.code && seen.label === type.label)) found.push(type);
  };
  for (const part of value.split(/[,;\n\r|]+/)) {
    // Folded characters with the index of each in `part`, so labels are cut from the original.
    const chars: { char: string; at: number }[] = [];
    for (const match of part.matchAll(/[\p{L}\p{N}]/gu))
      chars.push({ char: match[0].toLowerCase(), at: match.index });
    const folded = chars.map((entry) => entry.char).join('');
    const cut = (from: number, to: number) => part.slice(chars[from]!.at, chars[to - 1]!.at + 1).trim();
    let unknownFrom: number | null = null;
    let position = 0;
    while (position < folded.length) {
      const key = keys.find((candidate) => folded.startsWith(candidate, position));
      if (key === undefined) {
        unknownFrom ??= position;
        position++;
        continue;
      }
      if (unknownFrom !== null) push({ code: null, label: cut(unknownFrom, position) });
      unknownFrom = null;
      push({ code: vocabulary[key] ?? null, label: cut(position, position + key.length) });
      position += key.length;
    }
    if (unknownFrom !== null) push({ code: null, label: cut(unknownFrom, folded.length) });
  }
  return found;
}

/** `남성`/`Male` → MALE, `여성`/`Female` → FEMALE, both or `남녀 모두`/`Both` → ALL. */
export function genderCodeOf(kr: string | null, en: string | null): string | null {
  if (en !== null) {
    const folded = en.toLowerCase();
    if (/\bboth\b|\ball\b/.test(folded) || (/\bfemale\b/.test(folded) && /\bmale\b/.test(folded)))
      return 'ALL';
    if (/\bfemale\b|\bwomen\b/.test(folded)) return 'FEMALE';
    if (/\bmale\b|\bmen\b/.test(folded)) return 'MALE';
  }
  if (kr !== null) {
    if (kr.includes('모두') || (kr.includes('남') && kr.includes('여'))) return 'ALL';
    if (kr.includes('여')) return 'FEMALE';
    if (kr.includes('남')) return 'MALE';
  }
  return null;
}

const AGE_UNITS: readonly [RegExp, CrisAge['unit']][] = [
  [/^(세|살|년|y|yr|yrs|year|years)$/i, 'YEARS'],
  [/^(개월|월|m|mo|month|months)$/i, 'MONTHS'],
  [/^(주|w|wk|week|weeks)$/i, 'WEEKS'],
  [/^(일|d|day|days)$/i, 'DAYS'],
];

function ageOf(text: string | undefined): CrisAge | null {
  if (text === undefined) return null;
  const match = /(\d+(?:\.\d+)?)\s*([A-Za-z가-힣]*)/.exec(text);
  if (match?.[1] === undefined) return null;
  const unitLabel = match[2] ?? '';
  const unit = unitLabel === '' ? 'YEARS' : AGE_UNITS.find(([pattern]) => pattern.test(unitLabel))?.[1];
  return unit === undefined ? null : { value: Number(match[1]), unit };
}

/** `19 세 ~ 50 세` / `19 Year ~ 50 Year` → 19 and 50 years; an open side (`제한없음`) → null. */
export function parseAgeRange(text: string | null): { min: CrisAge | null; max: CrisAge | null } {
  if (text === null) return { min: null, max: null };
  const sides = text.split('~');
  if (sides.length === 2) return { min: ageOf(sides[0]), max: ageOf(sides[1]) };
  if (/이상|over|older|above|\+/i.test(text)) return { min: ageOf(text), max: null };
  if (/이하|미만|under|below|younger/i.test(text)) return { min: null, max: ageOf(text) };
  return { min: null, max: null };
}

/** `실제등록`/`Actual` → ACTUAL; `예정`/`Anticipated` → ANTICIPATED (it qualifies the date next to it). */
export function dateTypeOf(kr: string | null, en: string | null): string | null {
  const folded = fold(`${en ?? ''}${kr ?? ''}`);
  if (folded === '') return null;
  if (/actual|실제/.test(folded)) return 'ACTUAL';
  if (/anticipated|expected|estimated|planned|예정/.test(folded)) return 'ANTICIPATED';
  return null;
}
