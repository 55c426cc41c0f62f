import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { adminUrl, preparePgliteTemplate, preparePostgresTemplate } from './template.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dbTemplate: { engine: 'pglite'; dir: string } | { engine: 'postgres'; url: string; name: string };
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = await preparePostgresTemplate(url);
    project.provide('dbTemplate', { engine: 'postgres', url, name });
    return async () => {
      // Drop the template and every per-file database this run created.
      const admin = new pg.Client({ connectionString: adminUrl(url) });
      await admin.connect();
      const r = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'gridgov_t%'`);
      for (const { datname } of r.rows) {
        if (datname === name || datname.startsWith(`gridgov_t_${process.pid}_`)) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      }
      await admin.end();
    };
  }
  project.provide('dbTemplate', { engine: 'pglite', dir: await preparePgliteTemplate() });
}
