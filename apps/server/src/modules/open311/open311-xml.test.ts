import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { maskPublicText, reporterName } from './open311.service.js';
import { element, escapeXml, xmlDocument } from './open311-xml.js';

/** The text of every element, in document order (a conformant parser: a malformed document throws). */
function texts(xml: string): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const stack: { name: string; text: string }[] = [];
  const p = new SaxesParser();
  p.on('opentag', (t) => {
    const e = { name: t.name, text: '' };
    out.push(e);
    stack.push(e);
  });
  p.on('text', (s) => {
    const top = stack.at(-1);
    if (top) top.text += s;
  });
  p.on('closetag', () => void stack.pop());
  p.write(xml).close();
  return out;
}

describe('Open311 XML writer', () => {
  it('escapes markup and drops characters XML 1.0 forbids, so any reporter text parses back', () => {
    const nasty = `<a href="x">&amp;</a> ' " \u0000\u0008\u000B bell\u0007 ]]> 𠮷 \uD800 lone \uFFFE end`;
    const doc = xmlDocument('service_requests', 'request', [{ description: nasty, n: 3, ok: true, none: null }]);
    const parsed = texts(doc);
    expect(parsed.map((e) => e.name)).toEqual(['service_requests', 'request', 'description', 'n', 'ok', 'none']);
    expect(parsed[2]?.text).toBe(`<a href="x">&amp;</a> ' "  bell ]]> 𠮷  lone  end`);
    expect(parsed[3]?.text).toBe('3');
    expect(parsed[4]?.text).toBe('true');
    expect(parsed[5]?.text).toBe('');
    expect(escapeXml('a<b>&"\'')).toBe('a&lt;b&gt;&amp;&quot;&apos;');
  });

  it('nests objects and names list items; refuses bad element names and unnamed lists', () => {
    const xml = element('extended_attributes', { lifecycle: [{ action: 'report' }, { action: 'accept' }] }, { lifecycle: 'step' });
    expect(xml).toBe(
      '<extended_attributes><lifecycle><step><action>report</action></step><step><action>accept</action></step></lifecycle></extended_attributes>',
    );
    expect(() => element('1bad', 'x')).toThrow();
    expect(() => element('list', [1])).toThrow();
    expect(xmlDocument('errors', 'error', [])).toBe('<?xml version="1.0" encoding="utf-8"?>\n<errors></errors>\n');
  });
});

describe('Open311 public text', () => {
  it('masks mobile and 身份证 numbers typed into free text, leaving other numbers alone', () => {
    expect(maskPublicText('请联系13812345678，身份证370102199001011234，门牌 12 号')).toBe('请联系138****5678，身份证3701**********1234，门牌 12 号');
    expect(maskPublicText('工单 202612030001234567890')).toBe('工单 202612030001234567890');
  });

  it('puts a Chinese family name first', () => {
    expect(reporterName('三', '张')).toBe('张三');
    expect(reporterName('Ann', 'Lee')).toBe('Ann Lee');
    expect(reporterName(undefined, '王')).toBe('王');
    expect(reporterName()).toBeNull();
  });
});
