/**
 * The one way the feeds write XML: a document is a tree of elements whose names come from our code
 * and whose text and attribute values are escaped when the tree is serialised, so registry text
 * cannot become markup (there is no way to put unescaped text into the output). Our own code rather
 * than an XML builder package: the feeds need elements, attributes and text only, and none of the
 * builders on npm is a runtime dependency of the project.
 *
 * XML 1.0 cannot carry every string: C0 control characters other than tab and newline, lone UTF-16
 * surrogates, U+FFFE and U+FFFF are not characters of a document even as character references. They
 * are removed (`xmlSafeText`), carriage returns become newlines (a parser would normalise them so).
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}

/** An element, or text (escaped when written). */
export type XmlNode = XmlElement | string;

/** Element and attribute names we write: an optional prefix and a local name. */
const NAME = /^(?:[A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*$/;

/** Anything but the characters of XML 1.0 (§2.2 Char), carriage return aside. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const TEXT_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const HTML_ESCAPES: Readonly<Record<string, string>> = { ...TEXT_ESCAPES, '"': '&quot;', "'": '&#39;' };
const ATTRIBUTE_ESCAPES: Readonly<Record<string, string>> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  // Attribute-value normalisation would turn these into spaces; references keep them.
  '\t': '&#9;',
  '\n': '&#10;',
};

/** `text` with what XML 1.0 cannot hold removed and line ends as `\n`. Idempotent. */
export function xmlSafeText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(NOT_XML_CHAR, '');
}

/** Character data: `&`, `<` and `>` escaped (so `]]>` cannot appear either). */
export function escapeXmlText(text: string): string {
  return xmlSafeText(text).replace(/[&<>]/g, (char) => TEXT_ESCAPES[char] ?? char);
}

/** An attribute value for double quotes. */
export function escapeXmlAttribute(value: string): string {
  return xmlSafeText(value).replace(/[&<>"\t\n]/g, (char) => ATTRIBUTE_ESCAPES[char] ?? char);
}

/** Text for HTML (RSS descriptions): XML-safe, and `&`, `<`, `>`, `"`, `'` as references. */
export function escapeHtml(text: string): string {
  return xmlSafeText(text).replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** An element; children that are `undefined` or `null` (an optional field) are left out. */
export function xmlElement(
  name: string,
  attributes: Readonly<Record<string, string | undefined>> = {},
  ...children: readonly (XmlNode | undefined | null)[]
): XmlElement {
  if (!NAME.test(name)) throw new Error(`Not an XML name: ${name}`);
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (!NAME.test(key)) throw new Error(`Not an XML attribute name: ${key}`);
    if (value !== undefined) kept[key] = value;
  }
  return { name, attributes: kept, children: children.filter((child) => child != null) };
}

/** An element holding only text (`<title>…</title>`). */
export function xmlTextElement(
  name: string,
  text: string,
  attributes: Readonly<Record<string, string | undefined>> = {},
): XmlElement {
  return xmlElement(name, attributes, text);
}

function write(node: XmlNode, out: string[]): void {
  if (typeof node === 'string') {
    out.push(escapeXmlText(node));
    return;
  }
  out.push('<', node.name);
  for (const [key, value] of Object.entries(node.attributes))
    out.push(' ', key, '="', escapeXmlAttribute(value), '"');
  if (node.children.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (const child of node.children) write(child, out);
  out.push('</', node.name, '>');
}

/** A whole document, UTF-8, with its XML declaration. */
export function xmlDocument(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>\n'];
  write(root, out);
  out.push('\n');
  return out.join('');
}
