// The web page: search, what changed this week, and one trial with its timeline and every version
// (what changed, in words, then the field diff). Plain browser JavaScript on the public API
// (/api/v1), no third-party code; every value is set as text, never as HTML. In Korean when the
// browser prefers Korean, in English otherwise; times in the browser's time zone.

// The names of the change kinds and types: the server writes them from the vocabulary of src/domain.
import { CHANGE_TYPES, KINDS, STATUSES } from './vocabulary.js';

const main = document.getElementById('main');
const PAGE = 20;
const DAY_MS = 86_400_000;
const SVG_NS = 'http://www.w3.org/2000/svg';

// ---------------------------------------------------------------------------------------------
// Language and time

/** The browser's preferred languages, most preferred first. */
const PREFERRED = (
  navigator.languages && navigator.languages.length > 0 ? navigator.languages : [navigator.language ?? 'en']
).map(String);

/** `ko` when Korean comes before English in the browser's preferences, else `en`. */
const LANG =
  PREFERRED.map((tag) => tag.toLowerCase().split('-')[0]).find((base) => base === 'ko' || base === 'en') ??
  'en';
/** The locale for dates: the preferred tag of that language (`ko-KR`, `en-GB`, …). */
const LOCALE = PREFERRED.find((tag) => tag.toLowerCase().split('-')[0] === LANG) ?? LANG;

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

const STRINGS = {
  en: {
    navSearch: 'Search',
    navChanges: 'Changed this week',
    navApi: 'API',
    searchTitle: 'Search trials',
    followSearch: 'Follow the changes of this search:',
    followChanges: 'Follow these changes:',
    searchPlaceholder: 'Disease, drug, hospital, id… (e.g. 림프종, lymphoma, NCT…)',
    searchLabel: 'Search',
    searchButton: 'Search',
    sourceLabel: 'Source',
    allSources: 'All sources',
    statusLabel: 'Status',
    anyStatus: 'Any status',
    loading: 'Loading…',
    more: 'More',
    trials: (n) => plural(n, 'trial', 'trials'),
    noMatch: 'No trial matches.',
    untitled: '(untitled)',
    versionChanged: (version, date) => `version ${version}, changed ${date}`,
    removedOn: (date) => `removed ${date}`,
    changesTitle: 'Changed this week',
    changesIntro:
      'Every change recorded in the last 7 days — trials created, updated, removed or restored — in the order the mirror recorded them.',
    changeType: 'Change type',
    allTypes: 'All types',
    materialOnly: 'Material changes only (hide registry bookkeeping)',
    show: 'Show',
    changesShown: (n) => plural(n, 'change', 'changes'),
    noChanges: 'Nothing changed in the last 7 days.',
    bookkeeping: 'bookkeeping',
    mergedInto: (from, id) => `${from} was merged into ${id}.`,
    firstSeen: 'first seen',
    lastChanged: 'last changed',
    noLongerListed: (date) => `no longer listed since ${date}`,
    alsoRegistered: 'Also registered as: ',
    timeline: 'Timeline',
    timelineLabel: (n) => `Status periods (${n}) and enrollment over time`,
    enrollment: 'Enrollment',
    noEnrollment: 'No enrollment published',
    history: (n) => `History (${plural(n, 'version', 'versions')})`,
    version: (n) => `Version ${n}`,
    firstVersion: 'First version seen.',
    notClassified: 'Not classified yet.',
    fieldChanges: 'Field changes',
    noDiff: 'No field-level difference recorded.',
    field: 'Field',
    before: 'Before',
    after: 'After',
    absent: '(absent)',
    json: 'JSON',
    versionsJson: 'versions as JSON',
    yes: 'yes',
    no: 'no',
    mirrored: (parts) => `Mirrored: ${parts}. Data from the registries; see /docs for the API.`,
    mirroredSource: (name, n) => `${name}: ${n} trials`,
    nearLabel: 'Near',
    ageLabel: 'Age',
    agePlaceholder: 'years',
    recruitingLabel: 'Recruiting now',
    nearPlaceholder: 'City (e.g. Seoul, Boston)',
    radiusLabel: 'Within',
    anyDistance: 'Any distance',
    placeSites: (n) => plural(n, 'trial', 'trials'),
    km: (n) => `${n} km`,
    nearestSiteAt: (km, where) => `${km} away: ${where}`,
    about: 'About this trial',
    summary: 'Summary',
    eligibility: 'Eligibility',
    criteria: 'Criteria',
    sex: 'Sex',
    ages: 'Ages',
    healthyVolunteers: 'Healthy volunteers',
    dates: 'Dates',
    startDate: 'Start',
    primaryCompletion: 'Primary completion',
    completionDate: 'Completion',
    registeredDate: 'Registered',
    sponsor: 'Sponsor',
    collaborators: 'Collaborators',
    period: 'Study period',
    sites: (n) => `Sites (${n})`,
    noSites: 'The registry lists no sites.',
    siteName: 'Site',
    siteWhere: 'Where',
    siteStatus: 'Status',
    siteDistance: 'Distance',
    fromCentre: (place) => `from ${place}`,
    anyAge: 'any',
  },
  ko: {
    navSearch: '검색',
    navChanges: '이번 주 변경',
    navApi: 'API',
    searchTitle: '임상시험 검색',
    followSearch: '이 검색의 변경 구독:',
    followChanges: '이 변경 구독:',
    searchPlaceholder: '질환, 약물, 병원, 번호… (예: 림프종, lymphoma, NCT…)',
    searchLabel: '검색',
    searchButton: '검색',
    sourceLabel: '등록처',
    allSources: '모든 등록처',
    statusLabel: '상태',
    anyStatus: '모든 상태',
    loading: '불러오는 중…',
    more: '더 보기',
    trials: (n) => `임상시험 ${n}건`,
    noMatch: '일치하는 임상시험이 없습니다.',
    untitled: '(제목 없음)',
    versionChanged: (version, date) => `버전 ${version}, ${date} 변경`,
    removedOn: (date) => `${date} 삭제됨`,
    changesTitle: '이번 주 변경',
    changesIntro:
      '최근 7일 동안 기록된 모든 변경(신규 등록, 수정, 삭제, 재게시)을 미러에 기록된 순서대로 보여 줍니다.',
    changeType: '변경 유형',
    allTypes: '모든 유형',
    materialOnly: '실질적인 변경만 (등록 관리 정보 숨기기)',
    show: '보기',
    changesShown: (n) => `변경 ${n}건`,
    noChanges: '최근 7일 동안 변경된 것이 없습니다.',
    bookkeeping: '관리 정보',
    mergedInto: (from, id) => `${from}은(는) ${id}(으)로 통합되었습니다.`,
    firstSeen: '최초 수집',
    lastChanged: '최종 변경',
    noLongerListed: (date) => `${date}부터 목록에 없음`,
    alsoRegistered: '다른 등록 번호: ',
    timeline: '경과',
    timelineLabel: (n) => `상태 구간 ${n}개와 대상자 수의 변화`,
    enrollment: '대상자 수',
    noEnrollment: '공개된 대상자 수 없음',
    history: (n) => `변경 이력 (버전 ${n}개)`,
    version: (n) => `버전 ${n}`,
    firstVersion: '처음 수집된 버전입니다.',
    notClassified: '아직 분류되지 않았습니다.',
    fieldChanges: '필드 변경 내역',
    noDiff: '필드 단위 차이가 기록되지 않았습니다.',
    field: '필드',
    before: '이전',
    after: '이후',
    absent: '(없음)',
    json: 'JSON',
    versionsJson: '버전 JSON',
    yes: '예',
    no: '아니요',
    mirrored: (parts) => `미러링: ${parts}. 자료는 각 등록처의 것이며, API는 /docs에 있습니다.`,
    mirroredSource: (name, n) => `${name}: ${n}건`,
    nearLabel: '가까운 곳',
    ageLabel: '나이',
    agePlaceholder: '세',
    recruitingLabel: '모집 중만',
    nearPlaceholder: '도시 (예: Seoul, Boston)',
    radiusLabel: '반경',
    anyDistance: '거리 제한 없음',
    placeSites: (n) => `임상시험 ${n}건`,
    km: (n) => `${n}km`,
    nearestSiteAt: (km, where) => `${km} 거리: ${where}`,
    about: '임상시험 정보',
    summary: '요약',
    eligibility: '선정 기준',
    criteria: '기준',
    sex: '성별',
    ages: '나이',
    healthyVolunteers: '건강한 자원자',
    dates: '일정',
    startDate: '시작',
    primaryCompletion: '주요 종료',
    completionDate: '종료',
    registeredDate: '등록',
    sponsor: '후원 기관',
    collaborators: '협력 기관',
    period: '연구 기간',
    sites: (n) => `연구 기관 (${n})`,
    noSites: '등록처에 연구 기관이 없습니다.',
    siteName: '기관',
    siteWhere: '위치',
    siteStatus: '상태',
    siteDistance: '거리',
    fromCentre: (place) => `${place}에서`,
    anyAge: '제한 없음',
  },
};
const T = STRINGS[LANG];

const inLang = (localized, fallback) => localized?.[LANG] ?? fallback;

const TIME_FORMAT = new Intl.DateTimeFormat(LOCALE, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});
const DATE_FORMAT = new Intl.DateTimeFormat(LOCALE, { year: 'numeric', month: 'short', day: 'numeric' });

/** An API time (ISO 8601) as a `<time>`, in the browser's time zone. */
function timeEl(iso, dateOnly = false) {
  if (!iso) return null;
  const date = new Date(iso);
  return el('time', { datetime: iso }, (dateOnly ? DATE_FORMAT : TIME_FORMAT).format(date));
}

const dateText = (iso) => (iso ? DATE_FORMAT.format(new Date(iso)) : '');

// ---------------------------------------------------------------------------------------------
// DOM helpers: text only, never HTML

/** Children as nodes: arrays flattened, null, undefined and false left out, strings as text. */
function nodes(children) {
  return children
    .flat(Infinity)
    .filter((child) => child !== undefined && child !== null && child !== false)
    .map((child) => (child instanceof Node ? child : document.createTextNode(String(child))));
}

/** Replaces the children of `target`. */
function fill(target, ...children) {
  target.replaceChildren(...nodes(children));
}

function setAttributes(node, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
}

/** An element with attributes (`on…` ones as listeners) and children (strings become text). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  setAttributes(node, attrs);
  node.append(...nodes(children));
  return node;
}

/** An SVG element, the same way. */
function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttributes(node, attrs);
  node.append(...nodes(children));
  return node;
}

/** The API's answer as JSON, or an Error carrying the problem's title and detail. */
async function api(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const problem = body ?? {};
    const error = new Error(problem.detail ?? problem.title ?? `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return body;
}

function showError(target, error) {
  fill(target, el('p', { class: 'error', role: 'alert' }, error.message));
}

/** A trial's page; with `near`, the page measures its sites from that centre too. */
const trialHref = (id, near) =>
  `#/trials/${encodeURIComponent(id)}${near ? `?${new URLSearchParams({ near })}` : ''}`;

/** A distance in km, one decimal under 10 km. */
const kmText = (km) =>
  T.km(new Intl.NumberFormat(LOCALE, { maximumFractionDigits: km < 10 ? 1 : 0 }).format(km));

/** A site status code in words (the statuses' vocabulary of src/domain), or the code. */
const statusText = (code) => (code ? inLang(STATUSES[code], code) : '');

/** A code as the API labels it (`labels`, `label`, `fromLabel`), in the page's language. */
const codeText = (label, code) => inLang(label, code);

/** A "More" button under `target` that loads the next page; removed when there is none. */
function moreButton(target, next, onError) {
  target.querySelector('button.more')?.remove();
  if (next === null) return;
  const more = el('button', { class: 'more', type: 'button' }, T.more);
  more.addEventListener('click', () => {
    more.disabled = true;
    next().catch(onError);
  });
  target.append(more);
}

// ---------------------------------------------------------------------------------------------
// Search

function resultItem(trial, near) {
  const f = trial.fields;
  const title = f.title ?? f.titleEn ?? f.officialTitle ?? T.untitled;
  const site = trial.nearestSite;
  return el(
    'li',
    { 'data-id': trial.id },
    el('a', { class: 'result-title', href: trialHref(trial.id, near) }, title),
    f.titleEn && f.titleEn !== title ? el('div', {}, f.titleEn) : null,
    el(
      'div',
      { class: 'meta' },
      el('span', { class: 'badge' }, trial.source),
      `${trial.id}`,
      f.status ? ` · ${codeText(trial.labels?.status, f.status)}` : '',
      f.phase ? ` · ${codeText(trial.labels?.phase, f.phase)}` : '',
      f.institution ? ` · ${f.institution}` : '',
      ` · ${T.versionChanged(trial.version, dateText(trial.lastChangedAt))}`,
      trial.removedAt
        ? el('span', { class: 'removed' }, ` · ${T.removedOn(dateText(trial.removedAt))}`)
        : null,
    ),
    site
      ? el(
          'div',
          { class: 'distance', 'data-km': site.distanceKm },
          T.nearestSiteAt(
            kmText(site.distanceKm),
            [site.name, site.city, site.country].filter((part) => part).join(', '),
          ),
        )
      : null,
  );
}

/** A list that reads pages of `path` (which has its query already) and offers the next one. */
async function pagedTrials(target, path, near) {
  const list = el('ol', { class: 'results' });
  const summary = el('p', { class: 'summary' }, T.loading);
  fill(target, summary, list);
  const load = async (cursor) => {
    const url = cursor ? `${path}&cursor=${encodeURIComponent(cursor)}` : `${path}&count=true`;
    const page = await api(url);
    if (!cursor) summary.textContent = page.total === 0 ? T.noMatch : T.trials(page.total);
    list.append(...page.items.map((trial) => resultItem(trial, near)));
    moreButton(target, page.nextCursor ? () => load(page.nextCursor) : null, (error) =>
      showError(summary, error),
    );
  };
  await load(null);
}

/**
 * "Follow" links: the change feed of a query (Atom, RSS, JSON Feed), which a feed reader polls.
 */
function feedLinks(label, filter) {
  const links = [
    ['atom', 'Atom'],
    ['rss', 'RSS'],
    ['jsonfeed', 'JSON Feed'],
  ].flatMap(([format, name], index) => {
    const query = new URLSearchParams(filter);
    query.set('format', format);
    const link = el(
      'a',
      { href: `/api/v1/changes?${query}`, 'data-format': format, type: FEED_TYPES[format] },
      name,
    );
    return index === 0 ? [link] : [' · ', link];
  });
  return el('p', { class: 'follow' }, `${label} `, ...links);
}

const FEED_TYPES = {
  atom: 'application/atom+xml',
  rss: 'application/rss+xml',
  jsonfeed: 'application/feed+json',
};

/** The sources the page offers and names: enabled, with trials (the form and the footer agree). */
const shownSource = (source) => source.enabled && source.trials.active > 0;

/** The tab's title: the view's, then the product's. */
function setTitle(view) {
  document.title = view ? `${view} · trialwatch` : 'trialwatch';
}

/** The search's filters, as the address and the API name them (in this order). */
const FILTERS = ['q', 'source', 'status', 'near', 'radius', 'minAge', 'maxAge', 'recruiting'];
const RADII = ['10km', '25km', '50km', '100km', '200km', '500km'];
const DEFAULT_RADIUS = '50km';

/**
 * The filters of the address, `radius` only with `near` (as the API wants). The form's one `age`
 * (a person's age in years) is `minAge` and `maxAge` both: the trials someone of that age can join.
 */
function filtersOf(params) {
  const source = new URLSearchParams(params);
  const age = (source.get('age') ?? '').trim();
  if (source.has('age')) {
    source.delete('minAge');
    source.delete('maxAge');
    if (/^\d{1,3}$/.test(age)) {
      source.set('minAge', age);
      source.set('maxAge', age);
    }
  }
  const out = new URLSearchParams();
  for (const name of FILTERS) {
    const value = (source.get(name) ?? '').trim();
    if (value !== '' && (name !== 'radius' || source.get('near'))) out.set(name, value);
  }
  return out;
}

/**
 * The near box: a city typed, with the places of the mirror's sites that start with it offered
 * under it (GET /api/v1/places); picking one puts its name, which `near` takes, in the box.
 */
function nearBox(value) {
  const input = el('input', {
    type: 'text',
    name: 'near',
    value,
    placeholder: T.nearPlaceholder,
    'aria-label': T.nearLabel,
    autocomplete: 'off',
    class: 'near',
  });
  const list = el('ul', { class: 'suggestions', role: 'listbox', hidden: true });
  let asked = 0;
  let timer;
  const suggest = async () => {
    const text = input.value.trim();
    const ask = ++asked;
    if (text.length < 2) {
      list.hidden = true;
      return;
    }
    const body = await api(`/api/v1/places?${new URLSearchParams({ q: text, limit: '8' })}`).catch(
      () => null,
    );
    if (ask !== asked || body === null) return;
    fill(
      list,
      body.items.map((place) =>
        el(
          'li',
          { role: 'option' },
          el(
            'button',
            {
              type: 'button',
              'data-name': place.name,
              onclick: () => {
                input.value = place.name;
                list.hidden = true;
                input.focus();
              },
            },
            place.name,
            el('span', { class: 'meta' }, ` · ${T.placeSites(place.trials)}`),
          ),
        ),
      ),
    );
    list.hidden = body.items.length === 0;
  };
  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void suggest(), 150);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') list.hidden = true;
  });
  return { input, node: el('span', { class: 'near-box' }, input, list) };
}

async function searchView(params) {
  const q = params.get('q') ?? '';
  const source = params.get('source') ?? '';
  const status = params.get('status') ?? '';
  const near = (params.get('near') ?? '').trim();
  const radius = params.get('radius') ?? DEFAULT_RADIUS;
  const minAge = params.get('minAge') ?? '';
  const age = minAge !== '' && minAge === params.get('maxAge') ? minAge : '';
  const recruiting = params.get('recruiting') === 'true';
  const sourceSelect = el(
    'select',
    { name: 'source', 'aria-label': T.sourceLabel },
    el('option', { value: '' }, T.allSources),
  );
  const chosenStatus = status ? el('option', { value: status, selected: true }, status) : null;
  const statusSelect = el(
    'select',
    { name: 'status', 'aria-label': T.statusLabel },
    el('option', { value: '' }, T.anyStatus),
    chosenStatus,
  );
  const input = el('input', {
    type: 'search',
    name: 'q',
    value: q,
    placeholder: T.searchPlaceholder,
    'aria-label': T.searchLabel,
  });
  const box = nearBox(near);
  const radiusSelect = el(
    'select',
    { name: 'radius', 'aria-label': T.radiusLabel },
    [...new Set([...RADII, radius])].map((value) =>
      el('option', { value, selected: value === radius }, value.replace(/(km|mi)$/, ' $1')),
    ),
  );
  const form = el(
    'form',
    { class: 'search', role: 'search' },
    el(
      'div',
      { class: 'row' },
      input,
      sourceSelect,
      statusSelect,
      el('button', { type: 'submit' }, T.searchButton),
    ),
    el(
      'div',
      { class: 'row' },
      el('label', {}, `${T.nearLabel} `, box.node),
      el('label', {}, `${T.radiusLabel} `, radiusSelect),
      el(
        'label',
        {},
        `${T.ageLabel} `,
        el('input', {
          type: 'number',
          name: 'age',
          value: age,
          min: '0',
          max: '150',
          step: '1',
          inputmode: 'numeric',
          class: 'age',
          placeholder: T.agePlaceholder,
          'aria-label': T.ageLabel,
        }),
      ),
      el(
        'label',
        { class: 'check' },
        el('input', { type: 'checkbox', name: 'recruiting', value: 'true', checked: recruiting }),
        ` ${T.recruitingLabel}`,
      ),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const entered = new URLSearchParams();
    for (const [name, value] of new FormData(form)) entered.set(name, String(value));
    location.hash = `#/?${filtersOf(entered)}`;
  });
  const results = el('section');
  const filter = filtersOf(params);
  // Registry bookkeeping is no news to a reader following a search.
  const followed = new URLSearchParams(filter);
  followed.set('material', 'true');
  setTitle(q ? `${q} · ${T.searchTitle}` : near ? `${near} · ${T.searchTitle}` : T.searchTitle);
  fill(main, el('h1', {}, T.searchTitle), form, feedLinks(T.followSearch, followed), results);
  api('/api/v1/sources')
    .then((body) => {
      for (const item of body.items.filter(shownSource)) {
        sourceSelect.append(
          el(
            'option',
            { value: item.id, selected: item.id === source },
            `${item.name} (${item.trials.active})`,
          ),
        );
      }
    })
    .catch(() => undefined);
  // The statuses the mirror holds, with counts for the current search (other filters applied).
  const facetQuery = new URLSearchParams(filter);
  facetQuery.delete('status');
  facetQuery.set('field', 'status');
  facetQuery.set('limit', '50');
  api(`/api/v1/facets?${facetQuery}`)
    .then((body) => {
      for (const item of body.items) {
        const text = `${codeText(item.label, item.value)} (${item.count})`;
        if (item.value === status) chosenStatus.textContent = text;
        else statusSelect.append(el('option', { value: item.value }, text));
      }
    })
    .catch(() => undefined);
  const query = new URLSearchParams(filter);
  query.set('limit', String(PAGE));
  // Near a place, the nearest trials first.
  if (near) query.set('sort', 'distance');
  // A refused search (too many terms, a bad filter) says why under the form, which stays.
  await pagedTrials(results, `/api/v1/trials?${query}`, near).catch((error) => showError(results, error));
}

// ---------------------------------------------------------------------------------------------
// Changed this week

function changeItem(event) {
  const types = [...new Set(event.changes.map((change) => change.type))];
  return el(
    'li',
    {
      class: 'change',
      'data-seq': event.seq,
      'data-trial': event.trialId,
      'data-kind': event.kind,
      'data-types': types.join(' '),
    },
    el('span', { class: `kind kind-${event.kind}` }, inLang(KINDS[event.kind], event.kind)),
    el('a', { class: 'result-title', href: trialHref(event.trialId) }, event.trialId),
    ' ',
    el('span', { class: 'badge' }, event.source),
    event.material === false ? el('span', { class: 'badge bookkeeping' }, T.bookkeeping) : null,
    el('div', { class: 'change-summary' }, inLang(event.summary, inLang(KINDS[event.kind], event.kind))),
    el(
      'div',
      { class: 'meta' },
      timeEl(event.occurredAt),
      types.length > 0 ? ` · ${types.map((type) => inLang(CHANGE_TYPES[type], type)).join(', ')}` : '',
    ),
  );
}

async function changesView(params) {
  const type = params.get('type') ?? '';
  const materialOnly = params.get('all') !== '1';
  const typeSelect = el(
    'select',
    { name: 'type', 'aria-label': T.changeType },
    el('option', { value: '' }, T.allTypes),
    Object.entries(CHANGE_TYPES).map(([code, name]) =>
      el('option', { value: code, selected: code === type }, inLang(name, code)),
    ),
  );
  const material = el('input', { type: 'checkbox', name: 'material', checked: materialOnly });
  const form = el(
    'form',
    { class: 'search changes-filter' },
    el('label', {}, `${T.changeType} `, typeSelect),
    el('label', {}, material, ` ${T.materialOnly}`),
  );
  // Each control applies at once: the filter lives in the address, so it can be linked and reloaded.
  const apply = () => {
    const next = new URLSearchParams();
    if (typeSelect.value) next.set('type', typeSelect.value);
    if (!material.checked) next.set('all', '1');
    const hash = `#/changes${String(next) === '' ? '' : `?${next}`}`;
    if (location.hash !== hash) location.hash = hash;
  };
  typeSelect.addEventListener('change', apply);
  material.addEventListener('change', apply);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
  const results = el('section');
  const filter = new URLSearchParams();
  if (type) filter.set('type', type);
  if (materialOnly) filter.set('material', 'true');
  setTitle(T.changesTitle);
  fill(
    main,
    el('h1', {}, T.changesTitle),
    el('p', { class: 'summary' }, T.changesIntro),
    form,
    feedLinks(T.followChanges, filter),
    results,
  );
  const query = new URLSearchParams({
    since: new Date(Date.now() - 7 * DAY_MS).toISOString(),
    limit: String(PAGE),
  });
  if (type) query.set('type', type);
  if (materialOnly) query.set('material', 'true');
  const list = el('ol', { class: 'results changes' });
  const summary = el('p', { class: 'summary count' }, T.loading);
  fill(results, summary, list);
  let shown = 0;
  const load = async (cursor) => {
    const page = await api(
      `/api/v1/changes?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    list.append(...page.items.map(changeItem));
    shown += page.items.length;
    summary.textContent = shown === 0 ? T.noChanges : T.changesShown(shown);
    moreButton(results, page.hasMore ? () => load(page.nextCursor) : null, (error) =>
      showError(summary, error),
    );
  };
  await load(null).catch((error) => showError(results, error));
}

// ---------------------------------------------------------------------------------------------
// One trial

function show(value) {
  if (value === undefined) return T.absent;
  if (value === null) return 'null';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const FIELD_NAMES = {
  title: { en: 'Title', ko: '제목' },
  titleEn: { en: 'English title', ko: '영문 제목' },
  officialTitle: { en: 'Official title', ko: '공식 제목' },
  acronym: { en: 'Acronym', ko: '약칭' },
  status: { en: 'Status', ko: '상태' },
  phase: { en: 'Phase', ko: '단계' },
  studyType: { en: 'Study type', ko: '연구 종류' },
  institution: { en: 'Institution', ko: '연구 책임 기관' },
  department: { en: 'Department', ko: '진료과' },
  conditions: { en: 'Conditions', ko: '질환' },
  keywords: { en: 'Keywords', ko: '키워드' },
  interventions: { en: 'Interventions', ko: '중재' },
  enrollment: { en: 'Enrollment', ko: '대상자 수' },
  countries: { en: 'Countries', ko: '국가' },
  hasResults: { en: 'Results posted', ko: '결과 게시' },
  secondaryIds: { en: 'Secondary ids', ko: '보조 식별 번호' },
  sourceUpdatedAt: { en: 'Registry updated', ko: '등록처 갱신일' },
};

function fieldRows(trial) {
  const fields = trial.fields;
  const labels = trial.labels ?? {};
  const rows = [
    ['title', fields.title],
    ['titleEn', fields.titleEn],
    ['officialTitle', fields.officialTitle],
    ['acronym', fields.acronym],
    ['status', fields.status && codeText(labels.status, fields.status)],
    ['phase', fields.phase && codeText(labels.phase, fields.phase)],
    ['studyType', fields.studyType && codeText(labels.studyType, fields.studyType)],
    ['institution', fields.institution],
    ['department', fields.department],
    ['conditions', fields.conditions.join('; ')],
    ['keywords', fields.keywords.join('; ')],
    [
      'interventions',
      fields.interventions.map((i) => (i.type ? `${i.name} (${i.type})` : i.name)).join('; '),
    ],
    ['enrollment', fields.enrollment],
    ['countries', fields.countries.join(', ')],
    ['hasResults', fields.hasResults === null ? null : fields.hasResults ? T.yes : T.no],
    ['secondaryIds', fields.secondaryIds.map((s) => (s.type ? `${s.id} (${s.type})` : s.id)).join('; ')],
    ['sourceUpdatedAt', fields.sourceUpdatedAt],
  ];
  return rows
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .flatMap(([name, value]) => [el('dt', {}, inLang(FIELD_NAMES[name], name)), el('dd', {}, String(value))]);
}

/**
 * Names of raw path segments (the registries' own field names). ClinicalTrials.gov's modules and
 * fields, kr-icreat's columns (Korean already), and the common model's fields; anything else is
 * spelled out from its camelCase or snake_case.
 */
const SEGMENT_NAMES = {
  ...FIELD_NAMES,
  derivedSection: { en: 'Derived data', ko: '파생 정보' },
  resultsSection: { en: 'Results', ko: '결과' },
  documentSection: { en: 'Documents', ko: '문서' },
  identificationModule: { en: 'Identification', ko: '식별 정보' },
  statusModule: { en: 'Status', ko: '상태' },
  sponsorCollaboratorsModule: { en: 'Sponsor and collaborators', ko: '후원 기관과 협력 기관' },
  oversightModule: { en: 'Oversight', ko: '감독' },
  descriptionModule: { en: 'Description', ko: '설명' },
  conditionsModule: { en: 'Conditions', ko: '질환' },
  designModule: { en: 'Design', ko: '설계' },
  armsInterventionsModule: { en: 'Arms and interventions', ko: '군과 중재' },
  outcomesModule: { en: 'Outcomes', ko: '평가 변수' },
  eligibilityModule: { en: 'Eligibility', ko: '선정 기준' },
  contactsLocationsModule: { en: 'Contacts and locations', ko: '연락처와 장소' },
  referencesModule: { en: 'References', ko: '참고 문헌' },
  ipdSharingStatementModule: { en: 'Data sharing', ko: '자료 공유' },
  miscInfoModule: { en: 'Miscellaneous', ko: '기타' },
  conditionBrowseModule: { en: 'Condition terms (MeSH)', ko: '질환 용어(MeSH)' },
  interventionBrowseModule: { en: 'Intervention terms (MeSH)', ko: '중재 용어(MeSH)' },
  overallStatus: { en: 'Overall status', ko: '전체 상태' },
  lastKnownStatus: { en: 'Last known status', ko: '마지막 확인 상태' },
  whyStopped: { en: 'Why stopped', ko: '중단 사유' },
  statusVerifiedDate: { en: 'Status verified', ko: '상태 확인일' },
  startDateStruct: { en: 'Start date', ko: '시작일' },
  primaryCompletionDateStruct: { en: 'Primary completion date', ko: '주요 종료일' },
  completionDateStruct: { en: 'Completion date', ko: '종료일' },
  lastUpdateSubmitDate: { en: 'Last update submitted', ko: '최종 수정 제출일' },
  lastUpdatePostDateStruct: { en: 'Last update posted', ko: '최종 수정 게시일' },
  resultsFirstPostDateStruct: { en: 'Results first posted', ko: '결과 최초 게시일' },
  enrollmentInfo: { en: 'Enrollment', ko: '대상자 수' },
  phases: { en: 'Phases', ko: '단계' },
  briefTitle: { en: 'Brief title', ko: '간략 제목' },
  locations: { en: 'Sites', ko: '연구 기관' },
  facility: { en: 'Facility', ko: '기관' },
  city: { en: 'City', ko: '도시' },
  country: { en: 'Country', ko: '국가' },
  count: { en: 'Count', ko: '수' },
  type: { en: 'Type', ko: '유형' },
  date: { en: 'Date', ko: '날짜' },
  과제명: { en: 'Title', ko: '과제명' },
  과제번호: { en: 'Project number', ko: '과제번호' },
  연구기간: { en: 'Study period', ko: '연구기간' },
  연구범위: { en: 'Scope', ko: '연구범위' },
  연구종류: { en: 'Study type', ko: '연구종류' },
  연구책임기관: { en: 'Lead institution', ko: '연구책임기관' },
  '임상시험단계(연구모형)': { en: 'Phase (design)', ko: '임상시험단계(연구모형)' },
  전체목표연구대상자수: { en: 'Target enrollment', ko: '전체목표연구대상자수' },
  진료과: { en: 'Department', ko: '진료과' },
};

/** `lastKnownStatus` / `last_known_status` → `Last known status`. */
function spelledOut(segment) {
  const words = segment
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A raw diff path in words: `protocolSection.statusModule.overallStatus` → `Status › Overall status`. */
function readablePath(path) {
  const parts = [];
  for (const segment of path.split('.')) {
    const match = /^(.*?)((?:\[\d+\])*)$/.exec(segment);
    const name = match[1];
    const indices = [...match[2].matchAll(/\[(\d+)\]/g)].map((index) => ` ${Number(index[1]) + 1}`);
    if (name === 'protocolSection') continue;
    parts.push(`${inLang(SEGMENT_NAMES[name], spelledOut(name))}${indices.join('')}`);
  }
  return parts.join(' › ');
}

function diffTable(diff) {
  return el(
    'table',
    { class: 'diff' },
    el('thead', {}, el('tr', {}, el('th', {}, T.field), el('th', {}, T.before), el('th', {}, T.after))),
    el(
      'tbody',
      {},
      diff.map((change) =>
        el(
          'tr',
          {},
          el(
            'td',
            { class: 'field' },
            el('span', { class: 'field-name' }, readablePath(change.path)),
            el('code', { class: 'path' }, change.path),
          ),
          el('td', { class: 'old' }, show(change.old)),
          el('td', { class: 'new' }, show(change.new)),
        ),
      ),
    ),
  );
}

/** The summaries of a version: one line per typed change, or the event's own summary. */
function summaryList(version) {
  const lines =
    version.changes.length > 0
      ? version.changes.map((change) => ({ type: change.type, text: inLang(change.summary, '') }))
      : version.summary
        ? [{ type: null, text: inLang(version.summary, '') }]
        : [];
  if (lines.length === 0) return el('p', { class: 'meta' }, T.notClassified);
  return el(
    'ul',
    { class: 'summaries' },
    lines.map((line) => el('li', { 'data-type': line.type ?? undefined }, line.text)),
  );
}

function versionBlock(version) {
  const kind = inLang(KINDS[version.kind], version.kind);
  const heading = el('h3', {}, `${T.version(version.version)} · ${kind} · `, timeEl(version.observedAt));
  // Removals and restorations without new content point at the version they leave in place.
  const later = version.events
    .filter((event) => (event.kind === 'removed' || event.kind === 'restored') && event.kind !== version.kind)
    .map((event) =>
      el(
        'p',
        { class: `event kind-${event.kind}`, 'data-kind': event.kind },
        el('span', { class: `kind kind-${event.kind}` }, inLang(KINDS[event.kind], event.kind)),
        ' ',
        timeEl(event.occurredAt),
      ),
    );
  const isUpdate = version.diff !== null;
  return el(
    'section',
    { class: 'version', 'data-version': version.version },
    heading,
    isUpdate ? summaryList(version) : el('p', { class: 'meta' }, T.firstVersion),
    isUpdate
      ? el(
          'details',
          { class: 'field-changes', open: true },
          el('summary', {}, T.fieldChanges),
          version.diff.length === 0 ? el('p', { class: 'meta' }, T.noDiff) : diffTable(version.diff),
        )
      : null,
    later,
  );
}

/** `{count, type}` (ClinicalTrials.gov) or a plain count, as a number or null. */
const countOf = (value) =>
  value !== null && typeof value === 'object'
    ? (value.count ?? null)
    : typeof value === 'number'
      ? value
      : null;

/**
 * The trial's life from its versions: the status and enrollment after each version, worked back
 * from the current ones through each version's typed changes (`from`), and merged into periods.
 */
function lifeOf(trial, versions) {
  const states = [];
  let status = { code: trial.fields.status, label: trial.labels?.status ?? null };
  let enrollment = trial.fields.enrollment;
  for (let i = versions.length - 1; i >= 0; i--) {
    const version = versions[i];
    states[i] = { at: Date.parse(version.observedAt), status, enrollment };
    const statusChange = version.changes.find((c) => c.type === 'status' && c.field === 'status');
    if (statusChange) status = { code: statusChange.from ?? null, label: statusChange.fromLabel ?? null };
    const enrollmentChange = version.changes.find((c) => c.type === 'enrollment');
    if (enrollmentChange) enrollment = countOf(enrollmentChange.from);
  }
  const end = trial.removedAt ? Date.parse(trial.removedAt) : Math.max(Date.now(), states.at(-1)?.at ?? 0);
  const periods = [];
  for (const state of states) {
    const last = periods.at(-1);
    if (last && last.code === state.status.code) continue;
    if (last) last.end = state.at;
    periods.push({ code: state.status.code, label: state.status.label, start: state.at, end });
  }
  return { states, periods, start: states[0]?.at ?? end, end };
}

/** The status group a period is coloured by. */
function statusGroup(code) {
  if (code === null) return 'none';
  if (
    /RECRUITING|ENROLLING|AVAILABLE|APPROVED/.test(code) &&
    !/NOT_YET|ACTIVE_NOT|NO_LONGER|NOT_AVAILABLE/.test(code)
  )
    return 'open';
  if (/NOT_YET/.test(code)) return 'planned';
  if (/ACTIVE_NOT/.test(code)) return 'active';
  if (code === 'COMPLETED') return 'done';
  if (/TERMINATED|WITHDRAWN|SUSPENDED|NO_LONGER|WITHHELD|NOT_AVAILABLE/.test(code)) return 'stopped';
  return 'other';
}

/** The timeline as inline SVG: status periods on top, enrollment as a step line below. */
function timeline(trial, versions) {
  const life = lifeOf(trial, versions);
  const width = 640;
  const pad = 8;
  const span = Math.max(life.end - life.start, DAY_MS);
  const x = (at) => pad + ((at - life.start) / span) * (width - 2 * pad);
  const none = inLang({ en: 'none', ko: '없음' });
  const periods = life.periods.map((period) => {
    const name = period.code === null ? none : codeText(period.label, period.code);
    const x0 = x(period.start);
    const w = Math.max(x(period.end) - x0, 2);
    return svg(
      'g',
      { class: 'period', 'data-status': period.code ?? '' },
      svg('title', {}, `${name}: ${TIME_FORMAT.format(period.start)} – ${TIME_FORMAT.format(period.end)}`),
      svg('rect', { class: `status-${statusGroup(period.code)}`, x: x0, y: 4, width: w, height: 26, rx: 3 }),
      w > 60 ? svg('text', { x: x0 + 5, y: 21 }, name) : null,
    );
  });
  const counts = life.states.map((state) => state.enrollment).filter((count) => count !== null);
  // Scaled between the smallest and the largest count, so that 50 → 45 shows; flat when it never moved.
  const low = Math.min(...counts);
  const high = Math.max(...counts);
  const y = (count) => (high === low ? 74 : 88 - ((count - low) / (high - low)) * 26);
  let enrollment;
  if (counts.length === 0) {
    enrollment = svg('text', { class: 'axis', x: pad, y: 70 }, T.noEnrollment);
  } else {
    const points = [];
    const marks = [];
    let previous = null;
    life.states.forEach((state, i) => {
      if (state.enrollment === null) return;
      if (state.enrollment !== previous) {
        marks.push(
          svg(
            'text',
            x(state.at) > width - 40
              ? { class: 'value', x: x(state.at) - 5, y: y(state.enrollment) - 4, 'text-anchor': 'end' }
              : { class: 'value', x: x(state.at) + 5, y: y(state.enrollment) - 4 },
            String(state.enrollment),
          ),
        );
      }
      previous = state.enrollment;
      const next = life.states[i + 1]?.at ?? life.end;
      points.push(`${x(state.at)},${y(state.enrollment)}`, `${x(next)},${y(state.enrollment)}`);
      marks.push(
        svg(
          'circle',
          {
            class: 'enrollment-point',
            cx: x(state.at),
            cy: y(state.enrollment),
            r: 3,
            'data-count': state.enrollment,
          },
          svg('title', {}, `${T.enrollment}: ${state.enrollment} (${TIME_FORMAT.format(state.at)})`),
        ),
      );
    });
    enrollment = svg(
      'g',
      { class: 'enrollment' },
      svg('polyline', { points: points.join(' ') }),
      marks,
      svg('text', { class: 'axis', x: pad, y: 46 }, T.enrollment),
    );
  }
  const removed = trial.removedAt
    ? svg('line', { class: 'removed-mark', x1: x(life.end), x2: x(life.end), y1: 0, y2: 88 })
    : null;
  return svg(
    'svg',
    {
      class: 'timeline',
      viewBox: `0 0 ${width} 104`,
      role: 'img',
      'aria-label': T.timelineLabel(life.periods.length),
    },
    svg('title', {}, T.timelineLabel(life.periods.length)),
    periods,
    enrollment,
    removed,
    svg('text', { class: 'axis', x: pad, y: 100 }, DATE_FORMAT.format(life.start)),
    svg(
      'text',
      { class: 'axis', x: width - pad, y: 100, 'text-anchor': 'end' },
      DATE_FORMAT.format(life.end),
    ),
  );
}

/** `{date, type}` (ClinicalTrials.gov) or a date string, as text. */
const dateValue = (value) => (value && typeof value === 'object' ? (value.date ?? null) : (value ?? null));

/** Text in the page's language from `{kr, en}` (CRIS), or null. */
const krEn = (text) => (text ? (LANG === 'ko' ? (text.kr ?? text.en) : (text.en ?? text.kr)) : null);

/**
 * What a reader wants to know about a trial beyond its common fields, from the source's own
 * fields and its upstream record: the summary, who can take part, the dates and the sponsor.
 */
function aboutOf(trial) {
  const sf = trial.sourceFields ?? {};
  if (trial.source === 'ctgov') {
    const ps = trial.raw?.protocolSection ?? {};
    const eligibility = sf.eligibility ?? {};
    const ages = [eligibility.minimumAge, eligibility.maximumAge];
    return {
      summary: ps.descriptionModule?.briefSummary ?? null,
      criteria: ps.eligibilityModule?.eligibilityCriteria ?? null,
      eligibility: [
        [T.sex, eligibility.sex],
        [T.ages, ages.some((age) => age) ? ages.map((age) => age ?? T.anyAge).join(' – ') : null],
        [
          T.healthyVolunteers,
          typeof eligibility.healthyVolunteers === 'boolean'
            ? eligibility.healthyVolunteers
              ? T.yes
              : T.no
            : null,
        ],
      ],
      dates: [
        [T.startDate, dateValue(sf.dates?.start)],
        [T.primaryCompletion, dateValue(sf.dates?.primaryCompletion)],
        [T.completionDate, dateValue(sf.dates?.completion)],
        [T.registeredDate, dateValue(sf.dates?.studyFirstPosted)],
      ],
      sponsor: [
        [T.sponsor, sf.leadSponsor?.name ?? null],
        [T.collaborators, (sf.collaborators ?? []).map((c) => c.name).join('; ')],
      ],
    };
  }
  if (trial.source === 'cris') {
    const n = sf.normalized ?? {};
    return {
      summary: krEn(n.summary),
      criteria: null,
      eligibility: [
        [T.sex, n.gender?.code ?? krEn(n.gender)],
        [T.ages, krEn(n.ageRange)],
      ],
      dates: [
        [T.registeredDate, n.dates?.registration],
        [T.startDate, n.dates?.enrolment],
        [T.completionDate, n.dates?.completion],
      ],
      sponsor: [
        [
          T.sponsor,
          (n.sponsors ?? [])
            .map(krEn)
            .filter((name) => name)
            .join('; '),
        ],
        [
          T.collaborators,
          (n.funders ?? [])
            .map(krEn)
            .filter((name) => name)
            .join('; '),
        ],
      ],
    };
  }
  const period = sf.normalized?.period?.text ?? null;
  return {
    summary: null,
    criteria: null,
    eligibility: [],
    dates: [[T.period, period]],
    sponsor: [[T.sponsor, trial.fields.institution]],
  };
}

/** A definition list of [name, value] rows that have a value (null when none has). */
function rowsList(rows, className) {
  const kept = rows.filter(([, value]) => value !== null && value !== undefined && value !== '');
  if (kept.length === 0) return null;
  return el(
    'dl',
    { class: `fields ${className}` },
    kept.map(([name, value]) => [el('dt', {}, name), el('dd', {}, String(value))]),
  );
}

function aboutSection(trial) {
  const about = aboutOf(trial);
  const parts = [
    about.summary ? [el('h3', {}, T.summary), el('p', { class: 'text summary-text' }, about.summary)] : null,
    about.criteria || about.eligibility.some(([, value]) => value)
      ? [
          el('h3', {}, T.eligibility),
          rowsList(about.eligibility, 'eligibility'),
          about.criteria ? el('div', { class: 'text criteria' }, about.criteria) : null,
        ]
      : null,
    rowsList(about.dates, 'dates') ? [el('h3', {}, T.dates), rowsList(about.dates, 'dates')] : null,
    rowsList(about.sponsor, 'sponsor') ? [el('h3', {}, T.sponsor), rowsList(about.sponsor, 'sponsor')] : null,
  ].filter((part) => part);
  return parts.length === 0 ? null : el('section', { class: 'about' }, el('h2', {}, T.about), parts);
}

/** The trial's sites with their status, and their distance when the page came from a `near` search. */
function sitesSection(answer, near) {
  if (answer === null) return null;
  const measured = answer.centre !== undefined;
  const sites = measured
    ? [...answer.items].sort((a, b) => (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity))
    : answer.items;
  return el(
    'section',
    { class: 'sites' },
    el('h2', {}, T.sites(sites.length)),
    measured && near ? el('p', { class: 'meta' }, `${T.siteDistance} ${T.fromCentre(near)}`) : null,
    sites.length === 0
      ? el('p', { class: 'meta' }, T.noSites)
      : el(
          'table',
          { class: 'sites' },
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              el('th', {}, T.siteName),
              el('th', {}, T.siteWhere),
              el('th', {}, T.siteStatus),
              measured ? el('th', {}, T.siteDistance) : null,
            ),
          ),
          el(
            'tbody',
            {},
            sites.map((site) =>
              el(
                'tr',
                { class: 'site', 'data-status': site.status ?? '', 'data-km': site.distanceKm },
                el('td', {}, site.name ?? ''),
                el('td', {}, [site.city, site.state, site.country].filter((part) => part).join(', ')),
                el(
                  'td',
                  { class: `site-status status-${statusGroup(site.status)}` },
                  statusText(site.status),
                ),
                measured
                  ? el(
                      'td',
                      { class: 'distance' },
                      site.distanceKm === undefined ? '' : kmText(site.distanceKm),
                    )
                  : null,
              ),
            ),
          ),
        ),
  );
}

async function trialView(id, params) {
  fill(main, el('p', { class: 'summary' }, T.loading));
  const path = `/api/v1/trials/${encodeURIComponent(id)}`;
  const near = (params.get('near') ?? '').trim();
  setTitle(id);
  const sitesPath = `${path}/sites`;
  // Sites measured from the search's centre; a centre the API refuses leaves them unmeasured.
  const sites = (near ? api(`${sitesPath}?${new URLSearchParams({ near })}`) : api(sitesPath))
    .catch(() => (near ? api(sitesPath) : null))
    .catch(() => null);
  const [trial, versions, siteList] = await Promise.all([
    api(`${path}?include=raw`),
    api(`${path}/versions`),
    sites,
  ]);
  const f = trial.fields;
  setTitle(`${f.title ?? f.titleEn ?? trial.id} (${trial.id})`);
  fill(
    main,
    el('h1', {}, f.title ?? f.titleEn ?? trial.id),
    trial.resolvedFrom ? el('p', { class: 'meta' }, T.mergedInto(trial.resolvedFrom, trial.id)) : null,
    el(
      'p',
      { class: 'meta' },
      el('span', { class: 'badge' }, trial.source),
      `${trial.id} · ${T.firstSeen} `,
      timeEl(trial.firstSeenAt, true),
      ` · ${T.lastChanged} `,
      timeEl(trial.lastChangedAt, true),
      trial.removedAt
        ? el('span', { class: 'removed' }, ` · ${T.noLongerListed(dateText(trial.removedAt))}`)
        : null,
    ),
    el('dl', { class: 'fields' }, fieldRows(trial)),
    trial.registryUrl
      ? el('p', { class: 'meta' }, el('a', { href: trial.registryUrl, rel: 'noopener' }, trial.registryUrl))
      : null,
    aboutSection(trial),
    sitesSection(siteList, near),
    trial.links && trial.links.length > 0
      ? el(
          'p',
          {},
          T.alsoRegistered,
          trial.links.map((link, index) => [
            index > 0 ? ', ' : '',
            link.mirrored ? el('a', { href: trialHref(link.id) }, link.id) : link.id,
          ]),
        )
      : null,
    el('h2', {}, T.timeline),
    timeline(trial, versions.items),
    el('h2', {}, T.history(versions.items.length)),
    [...versions.items].reverse().map(versionBlock),
    el(
      'p',
      { class: 'meta' },
      el('a', { href: path }, T.json),
      ' · ',
      el('a', { href: `${path}/versions` }, T.versionsJson),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Frame

function frame() {
  document.documentElement.lang = LANG;
  const names = { search: T.navSearch, changes: T.navChanges, api: T.navApi };
  for (const link of document.querySelectorAll('[data-nav]')) link.textContent = names[link.dataset.nav];
  api('/api/v1/sources')
    .then((body) => {
      const parts = body.items.filter(shownSource).map((s) => T.mirroredSource(s.name, s.trials.active));
      document.getElementById('sources').textContent = T.mirrored(parts.join(' · '));
    })
    .catch(() => undefined);
}

async function route() {
  const hash = location.hash;
  // `data-shown` names the address the page shows once it has loaded (for tests and tools).
  delete main.dataset.shown;
  const [path, query = ''] = (hash.replace(/^#/, '') || '/').split('?', 2);
  try {
    if (path.startsWith('/trials/'))
      await trialView(decodeURIComponent(path.slice('/trials/'.length)), new URLSearchParams(query));
    else if (path === '/changes') await changesView(new URLSearchParams(query));
    else await searchView(new URLSearchParams(query));
  } catch (error) {
    showError(main, error);
  } finally {
    if (location.hash === hash) main.dataset.shown = hash;
  }
}

window.addEventListener('hashchange', () => void route());
frame();
void route();
