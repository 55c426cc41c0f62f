import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/test-app.js';
import { listMigrations } from '../../db/migrate.js';

describe('health and the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports the engine, the newest migration and the uptime', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.engine).toBe(process.env.DATABASE_URL ? 'postgres' : 'pglite');
    expect(body.migration).toBe(listMigrations().at(-1)?.version);
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
    // Attachments go to DATA_DIR/uploads by default; the directory is writable.
    expect(body.storage).toEqual({ backend: 'disk', ok: true });
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('documents every public endpoint with the zod schemas that validate it', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    // The CLI bridge is internal (hidden); everything else a client may call is documented.
    const expected = t.app.routeRegistry.filter((r) => r.url !== '/api/cli' && r.url !== '/api/openapi.json').map((r) => `${r.method} ${r.url}`);
    expect(expected.filter((e) => !documented.has(e))).toEqual([]);
    const login = doc.paths['/api/auth/login'].post;
    const body = login.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['login', 'password']));
    expect(body.additionalProperties).toBe(false);
  });

  it('answers an unknown API path with ROUTE_NOT_FOUND in Chinese by default and English on request', async () => {
    const zh = await t.app.inject({ method: 'GET', url: '/api/nope' });
    expect(zh.statusCode).toBe(404);
    expect(zh.json().error).toMatchObject({ code: 'ROUTE_NOT_FOUND', message: '接口不存在' });
    const en = await t.app.inject({ method: 'GET', url: '/api/nope', headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(en.json().error.message).toBe('No such endpoint');
  });
});
