/**
 * Classifies an update: the raw diff says which types changed (each path belongs to one type, by
 * the source's profile), the facts of the two versions (mapped to the common model) say from what
 * to what. Pure: the same two versions always give the same classification, in the same order.
 */
import type {
  ChangeClassification,
  ChangeFacts,
  ChangeProfile,
  ChangeType,
  DatedFact,
  TypedChange,
} from './change.types.js';
import { CHANGE_TYPES } from './change.types.js';
import type { Localized } from './labels.js';
import { labelOf } from './labels.js';
import type { ChangeKind, FieldChange, MappedTrial } from './trial.types.js';

/** The names of the change types (the summaries, and the web page through /ui/vocabulary.js). */
export const CHANGE_TYPE_NAMES: Readonly<Record<ChangeType, Localized>> = {
  status: { en: 'Status', ko: '상태' },
  enrollment: { en: 'Enrollment', ko: '대상자 수' },
  dates: { en: 'Dates', ko: '일정' },
  sites: { en: 'Sites', ko: '연구 기관' },
  results: { en: 'Results', ko: '결과' },
  eligibility: { en: 'Eligibility', ko: '선정 기준' },
  title: { en: 'Title', ko: '제목' },
  design: { en: 'Design', ko: '설계' },
  sponsor: { en: 'Sponsor', ko: '후원 기관' },
  conditions: { en: 'Conditions', ko: '질환' },
  interventions: { en: 'Interventions', ko: '중재' },
  outcomes: { en: 'Outcomes', ko: '평가 변수' },
  contacts: { en: 'Contacts', ko: '연락처' },
  ids: { en: 'Identifiers', ko: '식별 번호' },
  other: { en: 'Other details', ko: '기타 정보' },
  registry: { en: 'Registry bookkeeping', ko: '등록 관리 정보' },
};

/** The names of the kinds of change events. */
export const CHANGE_KIND_NAMES: Readonly<Record<ChangeKind, Localized>> = {
  created: { en: 'Created', ko: '신규 등록' },
  updated: { en: 'Updated', ko: '수정' },
  removed: { en: 'Removed', ko: '삭제' },
  restored: { en: 'Restored', ko: '재게시' },
};

const FIELD_NAMES: Readonly<Record<string, Localized>> = {
  start: { en: 'Start date', ko: '시작일' },
  primaryCompletion: { en: 'Primary completion date', ko: '주요 종료일' },
  completion: { en: 'Completion date', ko: '종료일' },
  period: { en: 'Study period', ko: '연구 기간' },
  phase: { en: 'Phase', ko: '단계' },
  studyType: { en: 'Study type', ko: '연구 종류' },
  allocation: { en: 'Allocation', ko: '배정' },
  model: { en: 'Model', ko: '모형' },
  scope: { en: 'Scope', ko: '연구 범위' },
};

const DATE_TYPES: Readonly<Record<string, Localized>> = {
  ACTUAL: { en: 'actual', ko: '실제' },
  ESTIMATED: { en: 'estimated', ko: '예정' },
  ANTICIPATED: { en: 'anticipated', ko: '예정' },
};

function fieldName(field: string): Localized {
  return FIELD_NAMES[field] ?? { en: field, ko: field };
}

function both(make: (lang: keyof Localized) => string): Localized {
  return { en: make('en'), ko: make('ko') };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function setDiff(
  before: readonly string[],
  after: readonly string[],
): { added: string[]; removed: string[] } {
  const old = new Set(before);
  const now = new Set(after);
  return {
    added: [...now].filter((item) => !old.has(item)).sort(),
    removed: [...old].filter((item) => !now.has(item)).sort(),
  };
}

function datedText(fact: DatedFact | undefined, lang: keyof Localized): string {
  if (fact === undefined || fact.date === null) return lang === 'en' ? 'none' : '없음';
  const type = fact.type === null ? undefined : DATE_TYPES[fact.type]?.[lang];
  return type === undefined ? fact.date : `${fact.date} (${type})`;
}

function enrollmentText(value: ChangeFacts['enrollment'], lang: keyof Localized): string {
  if (value.count === null) return lang === 'en' ? 'unknown' : '미상';
  const type = value.type === null ? undefined : DATE_TYPES[value.type]?.[lang];
  const count = lang === 'en' ? String(value.count) : `${value.count}명`;
  return type === undefined ? count : `${count} (${type})`;
}

/** English nouns of the list types, singular and plural. */
const LIST_NOUNS: Readonly<Partial<Record<ChangeType, readonly [string, string]>>> = {
  sites: ['site', 'sites'],
  sponsor: ['sponsor', 'sponsors'],
  conditions: ['condition', 'conditions'],
  interventions: ['intervention', 'interventions'],
  ids: ['identifier', 'identifiers'],
};

function countsText(type: ChangeType, added: number, removed: number, lang: keyof Localized): string {
  const noun = CHANGE_TYPE_NAMES[type];
  const parts: string[] = [];
  if (lang === 'en') {
    const [one, many] = LIST_NOUNS[type] ?? [noun.en.toLowerCase(), noun.en.toLowerCase()];
    if (added > 0) parts.push(`${added} ${added === 1 ? one : many} added`);
    if (removed > 0)
      parts.push(added > 0 ? `${removed} removed` : `${removed} ${removed === 1 ? one : many} removed`);
    return parts.length === 0 ? `${noun.en} changed` : parts.join(', ');
  }
  if (added > 0) parts.push(`${noun.ko} ${added}개 추가`);
  if (removed > 0) parts.push(`${added > 0 ? '' : `${noun.ko} `}${removed}개 삭제`);
  return parts.length === 0 ? `${noun.ko} 변경` : parts.join(', ');
}

/** A change named by its type and fields only (no comparable values). */
function generic(type: ChangeType, paths: readonly string[]): TypedChange {
  const name = CHANGE_TYPE_NAMES[type];
  const field = [...new Set(paths.map(topField))].join(', ');
  const summary =
    type === 'registry'
      ? { en: 'Registry bookkeeping', ko: '등록 관리 정보 변경' }
      : type === 'other'
        ? { en: `Other details changed (${field})`, ko: `기타 정보 변경 (${field})` }
        : { en: `${name.en} changed`, ko: `${name.ko} 변경` };
  return { type, field, from: null, to: null, summary };
}

/** The last named segment of a raw path, without indices (`locations[3].city` → `city`). */
function topField(path: string): string {
  const segments = path.replace(/\[\d+\]/g, '').split('.');
  return segments.slice(-2).join('.');
}

function listChange(
  type: ChangeType,
  field: string,
  before: string[],
  after: string[],
): TypedChange | undefined {
  const { added, removed } = setDiff(before, after);
  if (added.length === 0 && removed.length === 0) return undefined;
  return {
    type,
    field,
    from: before.length,
    to: after.length,
    added,
    removed,
    summary: both((lang) => countsText(type, added.length, removed.length, lang)),
  };
}

/** The typed changes of one type present in the diff; empty when the facts show no difference. */
function changesOf(type: ChangeType, before: ChangeFacts, after: ChangeFacts): TypedChange[] {
  switch (type) {
    case 'status': {
      const out: TypedChange[] = [];
      if (before.status !== after.status) {
        const why =
          after.whyStopped !== null && after.whyStopped !== before.whyStopped ? after.whyStopped : null;
        out.push({
          type,
          field: 'status',
          from: before.status,
          to: after.status,
          ...(why === null ? {} : { whyStopped: why }),
          summary: both((lang) => {
            const text = `${CHANGE_TYPE_NAMES.status[lang]}: ${labelOf('status', before.status)[lang]} → ${labelOf('status', after.status)[lang]}`;
            if (why === null) return text;
            return lang === 'en' ? `${text} (why stopped: ${why})` : `${text} (중단 사유: ${why})`;
          }),
        });
      } else if (before.whyStopped !== after.whyStopped) {
        out.push({
          type,
          field: 'whyStopped',
          from: before.whyStopped,
          to: after.whyStopped,
          summary: { en: 'Reason for stopping changed', ko: '중단 사유 변경' },
        });
      }
      return out;
    }
    case 'enrollment':
      if (same(before.enrollment, after.enrollment)) return [];
      return [
        {
          type,
          field: 'enrollment',
          from: before.enrollment,
          to: after.enrollment,
          summary: both(
            (lang) =>
              `${CHANGE_TYPE_NAMES.enrollment[lang]}: ${enrollmentText(before.enrollment, lang)} → ${enrollmentText(after.enrollment, lang)}`,
          ),
        },
      ];
    case 'dates': {
      const fields = [...new Set([...Object.keys(before.dates), ...Object.keys(after.dates)])];
      return fields
        .filter((field) => !same(before.dates[field] ?? null, after.dates[field] ?? null))
        .map((field) => ({
          type,
          field,
          from: before.dates[field] ?? null,
          to: after.dates[field] ?? null,
          summary: both(
            (lang) =>
              `${fieldName(field)[lang]}: ${datedText(before.dates[field], lang)} → ${datedText(after.dates[field], lang)}`,
          ),
        }));
    }
    case 'sites':
      return optional(listChange(type, 'sites', before.sites, after.sites));
    case 'results': {
      if (before.hasResults === after.hasResults) return [];
      const posted = after.hasResults === true;
      return [
        {
          type,
          field: 'hasResults',
          from: before.hasResults,
          to: after.hasResults,
          summary: posted
            ? { en: 'Results posted', ko: '결과 게시' }
            : { en: 'Results withdrawn', ko: '결과 게시 취소' },
        },
      ];
    }
    case 'title':
      if (before.title === after.title) return [];
      return [
        {
          type,
          field: 'title',
          from: before.title,
          to: after.title,
          summary: { en: 'Title changed', ko: '제목 변경' },
        },
      ];
    case 'design': {
      const fields = [...new Set([...Object.keys(before.design), ...Object.keys(after.design)])];
      return fields
        .filter((field) => (before.design[field] ?? null) !== (after.design[field] ?? null))
        .map((field) => {
          const from = before.design[field] ?? null;
          const to = after.design[field] ?? null;
          const label = (code: string | null, lang: keyof Localized) =>
            field === 'phase' || field === 'studyType'
              ? labelOf(field, code)[lang]
              : (code ?? (lang === 'en' ? 'none' : '없음'));
          return {
            type,
            field,
            from,
            to,
            summary: both((lang) => `${fieldName(field)[lang]}: ${label(from, lang)} → ${label(to, lang)}`),
          };
        });
    }
    case 'sponsor':
      return optional(listChange(type, 'sponsors', before.sponsors, after.sponsors));
    case 'conditions':
      return optional(listChange(type, 'conditions', before.conditions, after.conditions));
    case 'interventions':
      return optional(listChange(type, 'interventions', before.interventions, after.interventions));
    case 'ids':
      return optional(listChange(type, 'ids', before.ids, after.ids));
    case 'eligibility':
    case 'outcomes':
    case 'contacts':
    case 'other':
    case 'registry':
      // No facts compared: named by their fields (generic()).
      return [];
  }
}

function optional(change: TypedChange | undefined): TypedChange[] {
  return change === undefined ? [] : [change];
}

function summaryOf(changes: readonly TypedChange[]): Localized {
  // Bookkeeping is worth a word only when it is all there is.
  const content = changes.filter((change) => change.type !== 'registry');
  if (content.length === 0) return { en: 'Registry bookkeeping only', ko: '등록 관리 정보만 변경' };
  const shown = content.slice(0, 3);
  const more = content.length - shown.length;
  return both((lang) => {
    const text = shown.map((change) => change.summary[lang]).join('; ');
    if (more === 0) return text;
    return lang === 'en' ? `${text}; and ${more} more` : `${text} 외 ${more}건`;
  });
}

/**
 * The typed changes between two versions of a record. `diff` is the raw field diff of the update
 * (diffCanonical of the two canonical records); each path counts for the type the profile gives it.
 */
export function classifyUpdate(
  profile: ChangeProfile,
  before: MappedTrial,
  after: MappedTrial,
  diff: readonly FieldChange[],
): ChangeClassification {
  const paths = new Map<ChangeType, string[]>();
  for (const { path } of diff) {
    const type = profile.typeOfPath(path);
    const list = paths.get(type) ?? [];
    list.push(path);
    paths.set(type, list);
  }
  const beforeFacts = profile.facts(before);
  const afterFacts = profile.facts(after);
  const changes: TypedChange[] = [];
  for (const type of CHANGE_TYPES) {
    const list = paths.get(type);
    if (list === undefined) continue;
    const typed = changesOf(type, beforeFacts, afterFacts);
    // A type whose paths changed but whose facts did not (a site's phone, a MeSH term): named only.
    changes.push(...(typed.length > 0 ? typed : [generic(type, list)]));
  }
  const material = changes.some((change) => change.type !== 'registry');
  return { changes, material, summary: summaryOf(changes) };
}

/** The classification of an event that is not an update: no typed changes, its summary. */
export function eventClassification(kind: Exclude<ChangeKind, 'updated'>): ChangeClassification {
  return { changes: [], material: true, summary: eventSummary(kind) };
}

/** The summary of a created, removed or restored event. */
export function eventSummary(kind: Exclude<ChangeKind, 'updated'>): Localized {
  switch (kind) {
    case 'created':
      return { en: 'New trial in the registry', ko: '새로 등록된 임상시험' };
    case 'removed':
      return { en: 'No longer listed by the registry', ko: '등록처 목록에서 삭제됨' };
    case 'restored':
      return { en: 'Listed by the registry again', ko: '등록처 목록에 다시 게시됨' };
  }
}
