// The web page: search, what changed this week, and one trial with every version and its diff.
// Plain browser JavaScript on the public API (/api/v1); every value is set as text, never as HTML.

const main = document.getElementById('main');
const PAGE = 20;

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

/** An element with attributes (`on…` ones as listeners) and children (strings become text). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
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

const day = (iso) => (iso ? iso.slice(0, 10) : '');
const trialHref = (id) => `#/trials/${encodeURIComponent(id)}`;

function resultItem(trial) {
  const f = trial.fields;
  const title = f.title ?? f.titleEn ?? f.officialTitle ?? '(untitled)';
  return el(
    'li',
    { 'data-id': trial.id },
    el('a', { class: 'result-title', href: trialHref(trial.id) }, title),
    f.titleEn && f.titleEn !== title ? el('div', {}, f.titleEn) : null,
    el(
      'div',
      { class: 'meta' },
      el('span', { class: 'badge' }, trial.source),
      `${trial.id}`,
      f.status ? ` · ${f.status}` : '',
      f.phase ? ` · ${f.phase}` : '',
      f.institution ? ` · ${f.institution}` : '',
      ` · version ${trial.version}, changed ${day(trial.lastChangedAt)}`,
      trial.removedAt ? el('span', { class: 'removed' }, ` · removed ${day(trial.removedAt)}`) : null,
    ),
  );
}

/** A list that reads pages of `path` (which has its query already) and offers the next one. */
async function pagedList(target, path, emptyText) {
  const list = el('ol', { class: 'results' });
  const summary = el('p', { class: 'summary' }, 'Loading…');
  fill(target, summary, list);
  const load = async (cursor) => {
    const url = cursor ? `${path}&cursor=${encodeURIComponent(cursor)}` : `${path}&count=true`;
    const page = await api(url);
    if (!cursor)
      summary.textContent =
        page.total === 0 ? emptyText : `${page.total} trial${page.total === 1 ? '' : 's'}`;
    list.append(...page.items.map(resultItem));
    target.querySelector('button.more')?.remove();
    if (page.nextCursor) {
      const more = el('button', { class: 'more', type: 'button' }, 'More');
      more.addEventListener('click', () => {
        more.disabled = true;
        load(page.nextCursor).catch((error) => showError(summary, error));
      });
      target.append(more);
    }
  };
  await load(null);
}

async function searchView(params) {
  const q = params.get('q') ?? '';
  const source = params.get('source') ?? '';
  const status = params.get('status') ?? '';
  const sourceSelect = el(
    'select',
    { name: 'source', 'aria-label': 'Source' },
    el('option', { value: '' }, 'All sources'),
  );
  const statusSelect = el(
    'select',
    { name: 'status', 'aria-label': 'Status' },
    el('option', { value: '' }, 'Any status'),
    status ? el('option', { value: status, selected: true }, status) : null,
  );
  const input = el('input', {
    type: 'search',
    name: 'q',
    value: q,
    placeholder: 'Disease, drug, hospital, id… (e.g. 림프종, lymphoma, NCT…)',
    'aria-label': 'Search',
  });
  const form = el(
    'form',
    { class: 'search', role: 'search' },
    input,
    sourceSelect,
    statusSelect,
    el('button', { type: 'submit' }, 'Search'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(form))
      if (String(value).trim() !== '') next.set(name, String(value).trim());
    location.hash = `#/?${next}`;
  });
  const results = el('section');
  fill(main, el('h1', {}, 'Search trials'), form, results);
  api('/api/v1/sources')
    .then((body) => {
      for (const item of body.items) {
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
  const facetQuery = new URLSearchParams({ field: 'status', limit: '50' });
  if (q) facetQuery.set('q', q);
  if (source) facetQuery.set('source', source);
  api(`/api/v1/facets?${facetQuery}`)
    .then((body) => {
      for (const item of body.items) {
        if (item.value === status) continue;
        statusSelect.append(el('option', { value: item.value }, `${item.value} (${item.count})`));
      }
    })
    .catch(() => undefined);
  const query = new URLSearchParams({ limit: String(PAGE) });
  for (const [name, value] of [
    ['q', q],
    ['source', source],
    ['status', status],
  ])
    if (value) query.set(name, value);
  await pagedList(results, `/api/v1/trials?${query}`, 'No trial matches.');
}

async function changesView() {
  const results = el('section');
  fill(
    main,
    el('h1', {}, 'Changed this week'),
    el(
      'p',
      { class: 'summary' },
      'Trials created, updated, removed or restored in the last 7 days, newest first.',
    ),
    results,
  );
  await pagedList(
    results,
    `/api/v1/trials?updatedWithin=7d&sort=-lastChangedAt&limit=${PAGE}`,
    'Nothing changed in the last 7 days.',
  );
}

function show(value) {
  if (value === undefined) return '(absent)';
  if (value === null) return 'null';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function fieldRows(fields) {
  const rows = [
    ['Title', fields.title],
    ['English title', fields.titleEn],
    ['Official title', fields.officialTitle],
    ['Acronym', fields.acronym],
    ['Status', fields.status],
    ['Phase', fields.phase],
    ['Study type', fields.studyType],
    ['Institution', fields.institution],
    ['Department', fields.department],
    ['Conditions', fields.conditions.join('; ')],
    ['Keywords', fields.keywords.join('; ')],
    [
      'Interventions',
      fields.interventions.map((i) => (i.type ? `${i.name} (${i.type})` : i.name)).join('; '),
    ],
    ['Enrollment', fields.enrollment],
    ['Countries', fields.countries.join(', ')],
    ['Results posted', fields.hasResults === null ? null : fields.hasResults ? 'yes' : 'no'],
    ['Secondary ids', fields.secondaryIds.map((s) => (s.type ? `${s.id} (${s.type})` : s.id)).join('; ')],
    ['Registry updated', fields.sourceUpdatedAt],
  ];
  return rows
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, String(value))]);
}

function versionBlock(version) {
  const heading = el(
    'h3',
    {},
    `Version ${version.version} · ${version.kind} · ${version.observedAt.replace('T', ' ').slice(0, 16)} UTC`,
  );
  if (version.diff === null)
    return el('section', { class: 'version' }, heading, el('p', { class: 'meta' }, 'First version seen.'));
  const rows = version.diff.map((change) =>
    el(
      'tr',
      {},
      el('td', {}, change.path),
      el('td', { class: 'old' }, show(change.old)),
      el('td', { class: 'new' }, show(change.new)),
    ),
  );
  return el(
    'section',
    { class: 'version' },
    heading,
    rows.length === 0
      ? el('p', { class: 'meta' }, 'No field-level difference recorded.')
      : el(
          'table',
          { class: 'diff' },
          el('thead', {}, el('tr', {}, el('th', {}, 'Path'), el('th', {}, 'Before'), el('th', {}, 'After'))),
          el('tbody', {}, rows),
        ),
  );
}

async function trialView(id) {
  fill(main, el('p', { class: 'summary' }, 'Loading…'));
  const path = `/api/v1/trials/${encodeURIComponent(id)}`;
  const [trial, versions] = await Promise.all([api(path), api(`${path}/versions`)]);
  const f = trial.fields;
  fill(
    main,
    el('h1', {}, f.title ?? f.titleEn ?? trial.id),
    trial.resolvedFrom
      ? el('p', { class: 'meta' }, `${trial.resolvedFrom} was merged into ${trial.id}.`)
      : null,
    el(
      'p',
      { class: 'meta' },
      el('span', { class: 'badge' }, trial.source),
      `${trial.id} · first seen ${day(trial.firstSeenAt)} · last changed ${day(trial.lastChangedAt)}`,
      trial.removedAt
        ? el('span', { class: 'removed' }, ` · no longer listed since ${day(trial.removedAt)}`)
        : null,
    ),
    el('dl', { class: 'fields' }, fieldRows(f)),
    trial.links && trial.links.length > 0
      ? el(
          'p',
          {},
          'Also registered as: ',
          trial.links.map((link, index) => [
            index > 0 ? ', ' : '',
            link.mirrored ? el('a', { href: trialHref(link.id) }, link.id) : link.id,
          ]),
        )
      : null,
    el('h2', {}, `History (${versions.items.length} version${versions.items.length === 1 ? '' : 's'})`),
    [...versions.items].reverse().map(versionBlock),
    el(
      'p',
      { class: 'meta' },
      el('a', { href: path }, 'JSON'),
      ' · ',
      el('a', { href: `${path}/versions` }, 'versions as JSON'),
    ),
  );
}

function footer() {
  api('/api/v1/sources')
    .then((body) => {
      const parts = body.items.filter((s) => s.enabled).map((s) => `${s.name}: ${s.trials.active} trials`);
      document.getElementById('sources').textContent =
        `Mirrored: ${parts.join(' · ')}. Data from the registries; see /docs for the API.`;
    })
    .catch(() => undefined);
}

async function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?', 2);
  try {
    if (path.startsWith('/trials/')) await trialView(decodeURIComponent(path.slice('/trials/'.length)));
    else if (path === '/changes') await changesView();
    else await searchView(new URLSearchParams(query));
  } catch (error) {
    showError(main, error);
  }
}

window.addEventListener('hashchange', () => void route());
footer();
void route();
