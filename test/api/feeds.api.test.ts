/**
 * Issue 18 item 1 at the level a feed reader sees it: real ClinicalTrials.gov studies imported
 * through the harvest, then imported again changed (a status change, a new enrollment, and a title
 * and stop reason full of hostile text), plus a CRIS trial. `/api/v1/changes` as Atom, JSON Feed and
 * RSS, read by a real feed parser (@extractus/feed-extractor): entry ids stable and the same in every
 * format, the filters selecting what the JSON feed selects, paging by the feed's own next link, 304s,
 * and registry text that stays text.
 */
import type { FeedData, ParserOptions } from '@extractus/feed-extractor';
import { extractFromJson, extractFromXml } from '@extractus/feed-extractor';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { sourceInfos } from '../../src/bin/context.js';
import type { AppConfig } from '../../src/config/config.js';
import { ctgovFixture, ctgovFixtureIds } from '../../testkit/fake-ctgov.js';
import { testConfig, testSourceConfig } from '../../testkit/memory-source.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';
import { Seeder } from './support/seed.js';
import { importCtgovStudies } from './support/harvest-file.js';

type Study = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FORMATS = ['atom', 'jsonfeed', 'rss'] as const;
type Format = (typeof FORMATS)[number];

const IDS = ctgovFixtureIds().slice(0, 10);
const [STATUS_ID, ENROLLMENT_ID, HOSTILE_ID] = IDS as [string, string, string];
const CRIS_ID = 'KCT0000145';

/** Every C0 control character, markup, a CDATA end, entities, a lone surrogate. */
const CONTROLS = Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).join('');
const HOSTILE_TITLE = `Evil <script>alert("x")</script> ]]> & &amp; <![CDATA[ x ]]> ${CONTROLS} \uD800 end`;
const HOSTILE_REASON = `<img src=x onerror=alert(1)> ]]>\u0001\u001f & stop`;
/** What XML can hold of a text: no C0 controls but tab and newline, CR as newline, no lone surrogate. */
const xmlText = (text: string) =>
  text
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/g, '');
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

function studies(changed: boolean): Study[] {
  const list: Study[] = IDS.map((id) => ctgovFixture(id));
  if (!changed) return list;
  const byId = (id: string) => list[IDS.indexOf(id)]!;
  const status = byId(STATUS_ID).protocolSection.statusModule as Study;
  status.overallStatus = 'TERMINATED';
  status.whyStopped = HOSTILE_REASON;
  byId(ENROLLMENT_ID).protocolSection.designModule.enrollmentInfo = { count: 7, type: 'ACTUAL' };
  byId(HOSTILE_ID).protocolSection.identificationModule.briefTitle = HOSTILE_TITLE;
  return list;
}

interface JsonItem {
  seq: number;
  trialId: string;
  occurredAt: string;
  summary: { en: string; ko: string } | null;
}

/** The parser's options: whole descriptions, and the raw parsed entry and feed kept for checks. */
const PARSE: ParserOptions = {
  descriptionMaxLen: 0,
  // Values as the XML says them (no number guessing, no trimming), to compare text exactly.
  xmlParserOptions: { parseTagValue: false, trimValues: false },
  getExtraEntryFields: (entry) => ({ raw: entry }),
  getExtraFeedFields: (feed) => ({ raw: feed }),
};

function parseFeed(format: Format, body: string): FeedData {
  return format === 'jsonfeed' ? extractFromJson(body, PARSE) : extractFromXml(body, PARSE);
}

/** The text of a parsed XML value: a string, or an element with attributes (`#text`). */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && '#text' in value) return String((value as Raw)['#text']);
  return '';
}

function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The next link of a parsed page, by format. */
function nextLinkOf(format: Format, feed: FeedData): string | undefined {
  const raw = feed.raw as Raw;
  if (format === 'jsonfeed') return raw.next_url as string | undefined;
  const links = asList<Raw>(format === 'atom' ? raw.link : raw['atom:link']);
  return links.find((link) => link['@_rel'] === 'next')?.['@_href'] as string | undefined;
}

/** An entry's link to the web page, as the feed gives it. */
function webLinkOf(format: Format, raw: Raw): string | undefined {
  if (format === 'jsonfeed') return raw.url as string;
  if (format === 'rss') return textOf(raw.link);
  return asList<Raw>(raw.link).find((link) => link['@_rel'] === 'alternate')?.['@_href'] as
    string | undefined;
}

describe.each(storeKinds())('change feeds on %s', (kind) => {
  let store: TestStore;
  let config: AppConfig;
  let app: FastifyInstance;
  let clock = Date.parse('2026-11-01T00:00:00Z');

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers });
  const read = async (format: Format, query = '', on = app) => {
    const response = await on.inject(`/api/v1/changes?format=${format}${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return { response, feed: parseFeed(format, response.body) };
  };
  const json = async (query = ''): Promise<JsonItem[]> => {
    const response = await get(`/api/v1/changes?limit=1000${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: JsonItem[] }>().items;
  };
  const entryIds = (feed: FeedData) => (feed.entries ?? []).map((entry) => entry.id);

  beforeAll(async () => {
    store = await createTestStore(kind);
    config = testConfig(store.url, { ctgov: testSourceConfig() });
    for (const changed of [false, true])
      await importCtgovStudies(store, studies(changed), () => (clock += 1000));
    const seed = new Seeder(store.db, (clock += 1000));
    await seed.create({ id: CRIS_ID, source: 'cris', fields: { title: 'A CRIS trial' } });
    app = await buildApp({ config, store, sources: sourceInfos(config) });
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await store.drop();
  });

  it('answers in each format, parsed by a real feed parser, one entry per event, newest first', async () => {
    const events = await json();
    expect(events.length).toBeGreaterThan(IDS.length);
    const newestFirst = [...events].reverse().slice(0, 50);
    for (const format of FORMATS) {
      const { response, feed } = await read(format);
      expect(response.headers['content-type']).toBe(
        {
          atom: 'application/atom+xml; charset=utf-8',
          jsonfeed: 'application/feed+json; charset=utf-8',
          rss: 'application/rss+xml; charset=utf-8',
        }[format],
      );
      expect(entryIds(feed)).toEqual(
        newestFirst.map((event) => `tag:trialwatch,2026:changes/${event.seq}/${event.trialId}`),
      );
      for (const [index, entry] of (feed.entries ?? []).entries()) {
        const event = newestFirst[index]!;
        expect(entry.published).toBe(event.occurredAt);
        // The parser's own `link` drops URL fragments (it cleans article URLs): the raw link.
        expect(webLinkOf(format, entry.raw as Raw)).toBe(`http://localhost:80/#/trials/${event.trialId}`);
        expect(entry.title?.endsWith(`: ${xmlText(event.summary?.en ?? 'New trial')}`), entry.title).toBe(
          true,
        );
      }
    }
  });

  it('keeps each entry id across reads, formats and a restart', async () => {
    const ids = await Promise.all(FORMATS.map(async (format) => entryIds((await read(format)).feed)));
    expect(new Set(ids[0]).size).toBe(ids[0]!.length);
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[2]).toEqual(ids[0]);
    expect(entryIds((await read('atom')).feed)).toEqual(ids[0]);
    const restarted = await buildApp({ config, store, sources: sourceInfos(config) });
    try {
      for (const format of FORMATS)
        expect(entryIds((await read(format, '', restarted)).feed)).toEqual(ids[0]);
    } finally {
      await restarted.close();
    }
  });

  it('chooses the format from Accept as format= does', async () => {
    for (const [accept, format] of [
      ['application/atom+xml', 'atom'],
      ['application/feed+json', 'jsonfeed'],
      ['application/rss+xml, application/atom+xml;q=0.6, */*;q=0.1', 'rss'],
    ] as const) {
      const byAccept = await get('/api/v1/changes?type=status', { accept });
      const byFormat = await get(`/api/v1/changes?type=status&format=${format}`);
      expect(byAccept.statusCode).toBe(200);
      expect(byAccept.headers['content-type']).toBe(byFormat.headers['content-type']);
      expect(byAccept.headers.vary).toBe('accept');
      expect(byAccept.body).toBe(byFormat.body);
    }
    const refused = await get('/api/v1/changes', { accept: 'image/png' });
    expect(refused.statusCode).toBe(406);
    expect(refused.json()).toMatchObject({ code: 'NOT_ACCEPTABLE' });
  });

  it('links each entry to the web page and to the registry', async () => {
    const atom = (await read('atom', `&trial=${STATUS_ID}`)).feed;
    const links = asList<Raw>((atom.entries?.[0]?.raw as Raw).link);
    expect(links.map((link): unknown[] => [link['@_rel'], link['@_href']])).toEqual([
      ['alternate', `http://localhost:80/#/trials/${STATUS_ID}`],
      ['related', `https://clinicaltrials.gov/study/${STATUS_ID}`],
    ]);
    const jsonFeed = (await read('jsonfeed', `&trial=${CRIS_ID}`)).feed;
    expect(jsonFeed.entries?.[0]?.raw).toMatchObject({
      url: `http://localhost:80/#/trials/${CRIS_ID}`,
      external_url: `https://trialsearch.who.int/Trial2.aspx?TrialID=${CRIS_ID}`,
      title: `A CRIS trial: ${(await json(`&trial=${CRIS_ID}`))[0]!.summary?.en ?? 'New trial'}`,
    });
  });

  it('applies the filters of /changes: the same events, newest first', async () => {
    for (const query of [
      '&type=status',
      '&type=enrollment,status&material=true',
      `&trial=${ENROLLMENT_ID}`,
      '&source=cris',
      `&q=${encodeURIComponent('Evil')}`,
      '&type=registry',
    ]) {
      const expected = (await json(query)).reverse().map((event) => event.seq);
      const jsonFeed = (await read('jsonfeed', query)).feed;
      const seqs = (jsonFeed.entries ?? []).map((entry) => (entry.raw as Raw)._trialwatch.seq as number);
      expect(seqs, query).toEqual(expected);
      if (expected.length > 0) {
        for (const format of ['atom', 'rss'] as const) {
          expect(entryIds((await read(format, query)).feed), query).toEqual(entryIds(jsonFeed));
        }
      }
    }
    expect((await json('&type=status')).length).toBeGreaterThan(0);
  });

  it('pages by the feed’s own next link, without repeat or gap', async () => {
    for (const [query, limit] of [
      ['', 3],
      ['&type=enrollment,status', 1],
    ] as const) {
      await pagesWithoutRepeatOrGap(query, limit);
    }
  });

  async function pagesWithoutRepeatOrGap(query: string, limit: number): Promise<void> {
    const all = (await json(query))
      .reverse()
      .map((event) => `tag:trialwatch,2026:changes/${event.seq}/${event.trialId}`);
    expect(all.length, query).toBeGreaterThan(limit);
    for (const format of FORMATS) {
      const seen: string[] = [];
      let url: string | undefined = `/api/v1/changes?format=${format}&limit=${limit}${query}`;
      let pages = 0;
      while (url !== undefined) {
        const response = await get(url);
        expect(response.statusCode, response.body).toBe(200);
        const feed = parseFeed(format, response.body);
        const ids = entryIds(feed);
        expect(ids.length).toBeLessThanOrEqual(limit);
        seen.push(...ids);
        const next = nextLinkOf(format, feed);
        if (next !== undefined) {
          expect(next.startsWith('http://localhost:80/api/v1/changes?')).toBe(true);
          expect(new URL(next).searchParams.get('format')).toBe(format);
        }
        url = next?.replace('http://localhost:80', '');
        pages += 1;
        expect(pages).toBeLessThan(50);
      }
      expect(seen, `${format}${query}`).toEqual(all);
    }
  }

  it('names the format in the next link when asked through Accept, and refuses a JSON cursor', async () => {
    const first = await get('/api/v1/changes?limit=2', { accept: 'application/atom+xml' });
    expect(nextLinkOf('atom', parseFeed('atom', first.body))).toContain('format=atom');
    // The JSON feed's cursor is not a feed's.
    const jsonCursor = (await get('/api/v1/changes?limit=1')).json<{ nextCursor: string }>().nextCursor;
    expect((await get(`/api/v1/changes?format=atom&cursor=${jsonCursor}`)).json()).toMatchObject({
      code: 'INVALID_CURSOR',
    });
    expect((await get('/api/v1/changes?format=rss&limit=201')).json()).toMatchObject({
      code: 'LIMIT_TOO_LARGE',
      details: { cap: 200 },
    });
  });

  it('answers 304 while nothing changed, and a new change gives a new ETag', async () => {
    const first = await get('/api/v1/changes?format=atom');
    const etag = first.headers.etag as string;
    const lastModified = first.headers['last-modified'] as string;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(new Date(lastModified).toUTCString()).toBe(lastModified);
    const again = await get('/api/v1/changes?format=atom', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect((await get('/api/v1/changes?format=atom', { 'if-modified-since': lastModified })).statusCode).toBe(
      304,
    );
    // Each format and each query is its own representation.
    expect((await get('/api/v1/changes?format=rss', { 'if-none-match': etag })).statusCode).toBe(200);
    expect((await get('/api/v1/changes?format=atom&type=status', { 'if-none-match': etag })).statusCode).toBe(
      200,
    );

    const seed = new Seeder(store.db, Date.parse(lastModified) + 60_000);
    await seed.create({ id: 'KCT0000999', source: 'cris', fields: { title: 'Newer' } });
    const changed = await get('/api/v1/changes?format=atom', { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(entryIds(parseFeed('atom', changed.body))[0]).toMatch(/\/KCT0000999$/);
    expect((await get('/api/v1/changes?format=atom', { 'if-modified-since': lastModified })).statusCode).toBe(
      200,
    );
    // A filtered feed that the new event is not in keeps its tag.
    const status = await get('/api/v1/changes?format=jsonfeed&type=status');
    expect(
      (
        await get('/api/v1/changes?format=jsonfeed&type=status', {
          'if-none-match': status.headers.etag as string,
        })
      ).statusCode,
    ).toBe(304);
  });

  it('keeps hostile registry text inert, and the XML well-formed', async () => {
    // The database stores NUL and lone surrogates as U+FFFD (see src/harvest/text-repair.ts).
    const title = xmlText(HOSTILE_TITLE.replace('\u0000', '\uFFFD').replace('\uD800', '\uFFFD'));
    const reason = xmlText(HOSTILE_REASON);
    // The title change as /changes says it (its `to` holds the hostile text).
    const [titleChange] = (await json(`&trial=${HOSTILE_ID}&type=title`)) as unknown as {
      changes: { to: string }[];
    }[];
    const to = titleChange!.changes[0]!.to;
    expect(to).toContain('<script>');
    expect(to).toMatch(XML_INVALID);
    const newTitle = xmlText(to);
    for (const format of FORMATS) {
      for (const trial of [HOSTILE_ID, STATUS_ID]) {
        const { response, feed } = await read(format, `&trial=${trial}`);
        const body = response.body;
        expect(body).not.toMatch(XML_INVALID);
        if (format !== 'jsonfeed') {
          expect(body).not.toContain('<script');
          expect(body).not.toContain('<img');
          expect(body).not.toContain(']]>');
          expect(body).not.toContain('<![CDATA[');
        }
        const entry = feed.entries?.[0];
        expect(entry, `${format} ${trial}`).toBeDefined();
        const raw = entry!.raw as Raw;
        if (trial === HOSTILE_ID) {
          // The new title is the entry's title, as text, and the content says from → to.
          const entryTitle = format === 'jsonfeed' ? raw.title : textOf(raw.title);
          expect(entryTitle.startsWith(`${title}: `), entryTitle).toBe(true);
          const content =
            format === 'jsonfeed'
              ? raw.content_text
              : textOf(format === 'atom' ? raw.content : raw.description);
          if (format === 'rss') {
            // A description is HTML: the registry's markup is escaped in it.
            expect(content).toContain(
              '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ]]&gt; &amp; &amp;amp;',
            );
            expect(content).not.toContain('<script');
          } else {
            expect(content).toContain(`→ ${newTitle}`);
            expect(format === 'atom' ? raw.content['@_type'] : raw.content_html).toBe(
              format === 'atom' ? 'text' : undefined,
            );
          }
        } else {
          const content =
            format === 'jsonfeed'
              ? raw.content_text
              : textOf(format === 'atom' ? raw.content : raw.description);
          if (format === 'rss') expect(content).toContain('&lt;img src=x onerror=alert(1)&gt; ]]&gt;');
          else expect(content).toContain(`why stopped: ${reason}`);
        }
      }
    }
  });
});
