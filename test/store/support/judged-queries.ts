/**
 * The judged query set: queries people type (Korean and English; diseases, drugs, hospitals,
 * places, ids, partial words, phrases, exclusions) over the real fixtures of search-corpus.ts, each
 * with the records a person reading the fixtures says must be found (and, for some, must not be,
 * or must come first). Expectations were read off the records' text, not off the engine.
 */
export interface JudgedQuery {
  q: string;
  /** Records that must be in the results. */
  found: readonly string[];
  /** Records that must not be. */
  notFound?: readonly string[];
  /** The record that must rank first (default relevance order). */
  first?: string;
  /** Exactly these records, in any order (nothing else in the corpus matches). */
  exactly?: boolean;
}

const ASAN = [
  'C130010',
  'C120002',
  'C150007',
  'C100005',
  'C100008',
  'C100009',
  'C110009',
  'C110014',
  'C110015',
  'C120007',
  'C130009',
  'C140006',
  'C140016',
  'C120003',
  'C150014',
  'C160029',
  'C160030',
  'C160032',
  'C160044',
];
const LYMPHOMA = ['C100002', 'NCT02650414', 'NCT04318938', 'NCT04728893', 'NCT06583395'];
/** Studies that name lymphoma only in the text people read (summaries, eligibility criteria, outcomes). */
const LYMPHOMA_IN_TEXT = [
  'NCT01949129',
  'NCT02369484',
  'NCT04764188',
  'NCT05304754',
  'NCT05378763',
  'NCT06097962',
  'NCT06644495',
];
const NSCLC = [
  'NCT00576225',
  'NCT03318939',
  'NCT04044170',
  'NCT04318938',
  'NCT04402008',
  'NCT05078931',
  'NCT05378763',
  'NCT05466149',
  'NCT05693090',
  'NCT05714891',
  'NCT05816499',
  'NCT06094296',
  'NCT06576635',
  'NCT06610240',
  'NCT07247227',
];

export const JUDGED_QUERIES: readonly JudgedQuery[] = [
  // Korean: substrings inside words, particles and compounds.
  { q: '쇼그렌', found: ['C130011'], first: 'C130011', exactly: true },
  { q: '림프종', found: ['C110007'], first: 'C110007', exactly: true },
  {
    q: '우울증',
    found: ['C140012', 'C160023', 'C160041', 'C110017', 'C160046', 'C160042'],
    exactly: true,
  },
  // Two-syllable terms: no trigram; their own path must find them inside compounds (소아천식, 천식환자).
  { q: '천식', found: ['C110009', 'C110014', 'C160030', 'C160044'], exactly: true },
  { q: '치매', found: ['C150009', 'C160027', 'C160028', 'C160039'], exactly: true },
  { q: '비만', found: ['C160005', 'C160020', 'C160021'], exactly: true },
  { q: '폐암', found: ['C160036', 'KCT0006760', 'KCT0008659'], exactly: true },
  { q: '위암', found: ['C130008', 'C150001'], exactly: true },
  { q: '간염', found: ['C110008', 'C120001', 'C150008', 'C110013', 'C120003'], exactly: true },
  { q: '천식 -소아', found: ['C110009', 'C110014', 'C160030'], notFound: ['C160044'], exactly: true },
  // Korean with Latin letters; a phrase keeps its space.
  { q: 'B형간염', found: ['C110008'], notFound: ['C120001'] },
  { q: '"B형 간염"', found: ['C120001'], notFound: ['C110008'] },
  // Drugs.
  { q: '메트포르민', found: ['KCT0005497', 'KCT0009342', 'KCT0008659'], exactly: true },
  { q: 'metformin', found: ['KCT0005497', 'KCT0009342', 'KCT0008659'], exactly: true },
  { q: 'pembrolizumab', found: ['NCT05078931'], first: 'NCT05078931', exactly: true },
  // Diseases in Korean and English, word forms, partial words, case.
  { q: '당뇨병', found: ['C140014', 'C160014', 'KCT0005497', 'KCT0012458'] },
  { q: '알츠하이머', found: ['C150009', 'C150016', 'C160027'], exactly: true },
  { q: 'lymphoma', found: [...LYMPHOMA, ...LYMPHOMA_IN_TEXT], first: 'C100002', exactly: true },
  { q: 'Lymphomas', found: [...LYMPHOMA, ...LYMPHOMA_IN_TEXT], first: 'C100002', exactly: true },
  { q: 'lymphom', found: [...LYMPHOMA, ...LYMPHOMA_IN_TEXT], exactly: true },
  {
    q: 'ASTHMA',
    found: ['C120002', 'C160029', 'NCT00410098', 'NCT00712335', 'NCT02967393', 'NCT06863285'],
  },
  { q: 'asthma -copd', found: ['C120002', 'NCT00410098'], notFound: ['C160029', 'NCT06583395'] },
  { q: 'hepatocellular', found: ['C140023'], first: 'C140023' },
  { q: 'non-small cell lung cancer', found: NSCLC },
  // Hospitals and places.
  { q: '서울아산병원', found: ASAN },
  { q: '성모병원', found: ['C130011', 'C140012', 'C140004', 'C160009'] },
  { q: '세브란스', found: ['C110005', 'C130004', 'C100007', 'C140013'] },
  {
    q: 'Samsung Medical Center',
    found: ['NCT02895256', 'NCT04044170', 'NCT04728893', 'NCT05463224'],
  },
  // Accent-insensitive: the records write "Hôpitaux".
  {
    q: 'hopitaux',
    found: [
      'NCT00458770',
      'NCT01949129',
      'NCT02724163',
      'NCT02856893',
      'NCT05857098',
      'NCT06171568',
      'NCT06540651',
    ],
  },
  {
    q: 'seoul',
    found: [
      'NCT00712335',
      'NCT00777179',
      'NCT02895256',
      'NCT04044170',
      'NCT04467398',
      'NCT04728893',
      'NCT05463224',
      'NCT05911841',
      'NCT05915702',
      'NCT05915728',
      'NCT05921903',
      'NCT05925803',
    ],
  },
  // Ids, exactly.
  { q: 'NCT00000410', found: ['NCT00000410'], first: 'NCT00000410', exactly: true },
  { q: 'kct0000145', found: ['KCT0000145'], first: 'KCT0000145', exactly: true },
  { q: 'C130011', found: ['C130011'], first: 'C130011', exactly: true },
];
