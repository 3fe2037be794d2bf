/**
 * The feeds' XML writer (src/api/feed-xml.ts): whatever text goes in, the document is well-formed
 * and a real parser (@extractus/feed-extractor, on fast-xml-parser) reads back exactly the text,
 * less what XML 1.0 cannot hold.
 */
import { extractFromXml } from '@extractus/feed-extractor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  escapeXmlAttribute,
  escapeXmlText,
  xmlDocument,
  xmlElement,
  xmlSafeText,
  xmlTextElement,
} from '../../src/api/feed-xml.js';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Text made of what breaks XML most often, and any code unit at all (lone surrogates too). */
const hostile = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: fc.constantFrom(
      '<',
      '>',
      '&',
      '"',
      "'",
      ']]>',
      '<![CDATA[',
      '&amp;',
      '\u0000',
      '\r',
      '\n',
      '\t',
      '\u001f',
      '\uD800',
      '\uDC00',
      '\uFFFE',
      'a',
      '한',
    ),
  }),
);

/** A one-entry Atom document holding `text` as an attribute, a title and a content. */
function documentOf(text: string): string {
  return xmlDocument(
    xmlElement(
      'feed',
      { xmlns: 'http://www.w3.org/2005/Atom', 'xml:lang': 'en' },
      xmlElement(
        'entry',
        {},
        xmlTextElement('id', 'tag:example,2026:1'),
        xmlElement('link', { rel: 'alternate', href: text }),
        xmlTextElement('title', text),
        xmlTextElement('content', text, { type: 'text' }),
      ),
    ),
  );
}

function parsedEntry(document: string): Raw {
  const feed = extractFromXml(document, {
    xmlParserOptions: {
      parseTagValue: false,
      trimValues: false,
      parseAttributeValue: false,
      htmlEntities: true,
    },
    getExtraEntryFields: (entry) => ({ raw: entry }),
  });
  return feed.entries?.[0]?.raw as Raw;
}

describe('feed XML writer', () => {
  it('escapes markup, CDATA ends and quotes, and drops what XML cannot hold', () => {
    expect(escapeXmlText('<script>a & b</script> ]]>')).toBe('&lt;script&gt;a &amp; b&lt;/script&gt; ]]&gt;');
    expect(escapeXmlAttribute('"x"\t<y>\n&')).toBe('&quot;x&quot;&#9;&lt;y&gt;&#10;&amp;');
    expect(escapeHtml(`<a href="x">'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&lt;/a&gt;');
    expect(xmlSafeText('a\u0000b\u0008c\u000bd\u001fe\r\nf\rg\uD800h\uFFFEi\tj\u{1F600}')).toBe(
      'abcde\nf\ngh' + 'i\tj\u{1F600}',
    );
    expect(() => xmlElement('not a name')).toThrow();
    expect(() => xmlElement('a', { 'x"y': '1' })).toThrow();
    expect(xmlDocument(xmlElement('a', { b: undefined }, null, 'x', undefined))).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<a>x</a>\n',
    );
  });

  it('reads back exactly the XML-safe text, in elements and attributes, for any input', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const document = documentOf(text);
        expect(document).not.toMatch(/<script|]]>/);
        const entry = parsedEntry(document);
        const safe = xmlSafeText(text);
        expect(entry.title ?? '').toBe(safe);
        expect(entry.content['#text'] ?? '').toBe(safe);
        expect(entry.link['@_href']).toBe(safe);
      }),
      { numRuns: 500 },
    );
  });
});
