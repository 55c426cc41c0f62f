/**
 * A tiny XML writer for the Open311 answers: elements only (no attributes, no namespaces), text escaped, and
 * characters XML 1.0 forbids (C0 controls except tab/newline/return, lone surrogates, U+FFFE/U+FFFF) dropped,
 * so whatever a reporter typed cannot break the document. Shapes follow the GeoReport v2 examples:
 * <services><service>…</service></services>, <service_requests><request>…</request></service_requests>,
 * <errors><error>…</error></errors>.
 */

export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [key: string]: XmlValue };

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters removed
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function escapeXml(s: string): string {
  return s.replace(INVALID, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * `<name>value</name>`. Objects become child elements in key order; arrays repeat the element named by
 * `itemNames[name]` inside `<name>` (e.g. lifecycle → step); null/undefined become an empty element.
 */
export function element(name: string, value: XmlValue, itemNames: Record<string, string> = {}): string {
  if (!NAME.test(name)) throw new Error(`xml: bad element name ${name}`);
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) {
    const item = itemNames[name];
    if (!item) throw new Error(`xml: no item element name for list ${name}`);
    return `<${name}>${value.map((v) => element(item, v, itemNames)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => element(k, v, itemNames))
      .join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A whole document: `<root><item>…</item>…</root>` with the XML declaration. */
export function xmlDocument(root: string, item: string, items: readonly XmlValue[], itemNames: Record<string, string> = {}): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, [...items], { ...itemNames, [root]: item })}\n`;
}
