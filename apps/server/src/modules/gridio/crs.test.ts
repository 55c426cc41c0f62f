import { describe, expect, it } from 'vitest';
import { crsFromGeoJson, crsFromPrj } from './crs.js';
import { PRJ_CGCS2000, PRJ_CGCS2000_GK39, PRJ_WGS84 } from './shapefile.fixtures.js';
import { encodingFromCpg, guessDbfEncoding } from './shapefile-zip.js';

const named = (name: string) => ({ type: 'name', properties: { name } });

describe('coordinate system declared by a GeoJSON file', () => {
  it.each([
    [named('urn:ogc:def:crs:OGC:1.3:CRS84'), 'WGS84'],
    [named('urn:ogc:def:crs:EPSG::4326'), 'WGS84'],
    [named('EPSG:4326'), 'WGS84'],
    ['EPSG:4326', 'WGS84'],
    [named('http://www.opengis.net/def/crs/EPSG/0/4326'), 'WGS84'],
    [named('urn:ogc:def:crs:EPSG::4490'), 'CGCS2000'],
    [named('EPSG:4490'), 'CGCS2000'],
    [named('CGCS2000'), 'CGCS2000'],
    [named('GCJ02'), 'GCJ02'],
    [named('gcj-02'), 'GCJ02'],
    [named('BD09'), 'BD09'],
    [named('BD-09'), 'BD09'],
    [{ type: 'EPSG', properties: { code: 4326 } }, 'WGS84'],
  ])('%j → %s', (member, cs) => {
    expect(crsFromGeoJson(member)).toMatchObject({ kind: 'known', coordSystem: cs });
  });

  it.each([[named('EPSG:3857')], [named('urn:ogc:def:crs:EPSG::4549')], [named('Xian1980')], [{ type: 'link', properties: { href: 'x.prj' } }]])(
    '%j is unknown',
    (member) => {
      expect(crsFromGeoJson(member).kind).toBe('unknown');
    },
  );

  it('no member is no declaration', () => {
    expect(crsFromGeoJson(undefined)).toEqual({ kind: 'none' });
    expect(crsFromGeoJson(null)).toEqual({ kind: 'none' });
  });
});

describe('coordinate system declared by a shapefile .prj', () => {
  it.each([
    [PRJ_WGS84, 'WGS84'],
    [PRJ_CGCS2000, 'CGCS2000'],
    ['GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]', 'WGS84'],
  ])('%s → %s', (wkt, cs) => {
    expect(crsFromPrj(wkt)).toMatchObject({ kind: 'known', coordSystem: cs });
  });

  it('refuses projected systems and other datums, even with TOWGS84 parameters', () => {
    expect(crsFromPrj(PRJ_CGCS2000_GK39)).toEqual({ kind: 'unknown', name: 'CGCS2000_3_Degree_GK_Zone_39' });
    expect(crsFromPrj('GEOGCS["Xian 1980",DATUM["Xian_1980",SPHEROID["IAG 1975",6378140,298.257],TOWGS84[24,-123,-94,0,0,0,0]]]')).toMatchObject({
      kind: 'unknown',
    });
  });

  it('no .prj is no declaration', () => {
    expect(crsFromPrj(null)).toEqual({ kind: 'none' });
    expect(crsFromPrj('  ')).toEqual({ kind: 'none' });
  });
});

describe('DBF character encoding', () => {
  it.each([
    ['UTF-8', 'utf-8'],
    ['65001', 'utf-8'],
    ['GBK', 'gbk'],
    ['936', 'gbk'],
    ['ANSI 936', 'gbk'],
    ['CP936\r\n', 'gbk'],
    ['GB18030', 'gb18030'],
    ['1252', 'windows-1252'],
  ])('.cpg %j → %s', (cpg, enc) => {
    expect(encodingFromCpg(cpg)).toBe(enc);
  });

  it('without a .cpg: the language driver byte, else UTF-8 when the bytes are UTF-8, else GBK', () => {
    const header = (ldid: number, tail: number[]) => new Uint8Array([...new Array(29).fill(0), ldid, 0, 0, ...tail]);
    expect(guessDbfEncoding(header(0x4d, [0x41]))).toBe('gbk');
    expect(guessDbfEncoding(header(0, [...new TextEncoder().encode('网格')]))).toBe('utf-8');
    expect(guessDbfEncoding(header(0, [0xcd, 0xf8, 0xb8, 0xf1]))).toBe('gbk');
  });
});
