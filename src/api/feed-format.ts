/**
 * A page of the change feed as Atom 1.0 (RFC 4287), JSON Feed 1.1 and RSS 2.0, with RFC 5005 paging
 * links (`next` to the older events; in RSS as atom:link, in JSON Feed as `next_url`). Registry text
 * is only ever text: Atom's `type="text"` constructs, JSON Feed's `content_text`, and in RSS (whose
 * description readers show as HTML) HTML-escaped before the XML escaping.
 */
import type { FeedFormat } from './content-negotiation.js';
import type { FeedEntry } from './feed-entry.js';
import type { XmlElement } from './feed-xml.js';
import { escapeHtml, xmlDocument, xmlElement, xmlTextElement } from './feed-xml.js';

export interface FeedPage {
  id: string;
  title: string;
  description: string;
  /** Absolute URLs: this page, the first page, the next (older) one, the web page. */
  selfUrl: string;
  firstUrl: string;
  nextUrl: string | null;
  homeUrl: string;
  /** Epoch ms: the newest change the page shows (of its events and their trials); null if empty. */
  updated: number | null;
  entries: readonly FeedEntry[];
}

const ATOM_NS = 'http://www.w3.org/2005/Atom';
const GENERATOR = 'trialwatch';

function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

function atomLink(rel: string, href: string, type?: string): XmlElement {
  return xmlElement('link', { rel, href, type });
}

function atomEntry(entry: FeedEntry): XmlElement {
  return xmlElement(
    'entry',
    {},
    xmlTextElement('id', entry.id),
    xmlTextElement('title', entry.title, { type: 'text' }),
    xmlTextElement('updated', isoTime(entry.updated)),
    xmlTextElement('published', isoTime(entry.updated)),
    atomLink('alternate', entry.webUrl, 'text/html'),
    entry.registryUrl === null
      ? null
      : xmlElement('link', {
          rel: 'related',
          type: 'text/html',
          href: entry.registryUrl,
          title: entry.registryName ?? undefined,
        }),
    ...entry.types.map((type) => xmlElement('category', { term: type })),
    xmlTextElement('content', entry.text, { type: 'text' }),
  );
}

function atomFeed(page: FeedPage): string {
  return xmlDocument(
    xmlElement(
      'feed',
      { xmlns: ATOM_NS },
      xmlTextElement('id', page.id),
      xmlTextElement('title', page.title, { type: 'text' }),
      xmlTextElement('subtitle', page.description, { type: 'text' }),
      xmlTextElement('updated', isoTime(page.updated ?? 0)),
      xmlElement('author', {}, xmlTextElement('name', GENERATOR)),
      xmlTextElement('generator', GENERATOR),
      atomLink('self', page.selfUrl, 'application/atom+xml'),
      atomLink('alternate', page.homeUrl, 'text/html'),
      atomLink('first', page.firstUrl, 'application/atom+xml'),
      page.nextUrl === null ? null : atomLink('next', page.nextUrl, 'application/atom+xml'),
      ...page.entries.map(atomEntry),
    ),
  );
}

/** The entry's text as HTML: escaped, one line per line, and the registry link. */
function rssDescription(entry: FeedEntry): string {
  const html = escapeHtml(entry.text).replace(/\n/g, '<br/>');
  if (entry.registryUrl === null) return html;
  return `${html}<br/><a href="${escapeHtml(entry.registryUrl)}">${escapeHtml(entry.registryName ?? entry.registryUrl)}</a>`;
}

function rssItem(entry: FeedEntry): XmlElement {
  return xmlElement(
    'item',
    {},
    xmlTextElement('title', entry.title),
    xmlTextElement('link', entry.webUrl),
    // HTML as text: the serialiser escapes it once more, so registry text stays text.
    xmlTextElement('description', rssDescription(entry)),
    xmlTextElement('guid', entry.id, { isPermaLink: 'false' }),
    xmlTextElement('pubDate', new Date(entry.updated).toUTCString()),
    ...entry.types.map((type) => xmlTextElement('category', type)),
  );
}

function rssFeed(page: FeedPage): string {
  return xmlDocument(
    xmlElement(
      'rss',
      { version: '2.0', 'xmlns:atom': ATOM_NS },
      xmlElement(
        'channel',
        {},
        xmlTextElement('title', page.title),
        xmlTextElement('link', page.homeUrl),
        xmlTextElement('description', page.description),
        xmlTextElement('lastBuildDate', new Date(page.updated ?? 0).toUTCString()),
        xmlTextElement('generator', GENERATOR),
        xmlElement('atom:link', { rel: 'self', type: 'application/rss+xml', href: page.selfUrl }),
        xmlElement('atom:link', { rel: 'first', type: 'application/rss+xml', href: page.firstUrl }),
        page.nextUrl === null
          ? null
          : xmlElement('atom:link', { rel: 'next', type: 'application/rss+xml', href: page.nextUrl }),
        ...page.entries.map(rssItem),
      ),
    ),
  );
}

function jsonFeed(page: FeedPage): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: page.title,
    description: page.description,
    home_page_url: page.homeUrl,
    feed_url: page.selfUrl,
    ...(page.nextUrl === null ? {} : { next_url: page.nextUrl }),
    authors: [{ name: GENERATOR }],
    items: page.entries.map((entry) => ({
      id: entry.id,
      url: entry.webUrl,
      ...(entry.registryUrl === null ? {} : { external_url: entry.registryUrl }),
      title: entry.title,
      content_text: entry.text,
      date_published: isoTime(entry.updated),
      date_modified: isoTime(entry.updated),
      ...(entry.types.length === 0 ? {} : { tags: entry.types }),
      // JSON Feed extensions start with `_`: the event's identity, for clients that sync by it.
      _trialwatch: entry.event,
    })),
  });
}

/** The page in the format asked for, as the body to send. */
export function renderFeed(format: FeedFormat, page: FeedPage): string {
  switch (format) {
    case 'atom':
      return atomFeed(page);
    case 'rss':
      return rssFeed(page);
    case 'jsonfeed':
      return jsonFeed(page);
  }
}
