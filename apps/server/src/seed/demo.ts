import { roleLabels } from '@gridgov/contracts/roles';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { DB } from '../db/schema.js';
import { hashPassword } from '../modules/auth/password.js';
import { DEMO_PASSWORD, type DemoRegion, demoDepartments, demoDistrict, demoUsers } from './demo-district.js';

const LEVELS = ['district', 'street', 'community'] as const;

export interface DemoSummary {
  seeded: boolean;
  accounts: { username: string; role: string; displayName: string }[];
  password: string;
}

/** Seeds the demo district into an empty database; on later starts only reports the accounts. */
export async function seedDemoIfEmpty(database: Database, _config?: Config): Promise<DemoSummary> {
  const { db } = database;
  const existing = await db.selectFrom('region').select('id').limit(1).executeTakeFirst();
  const seeded = !existing;
  if (seeded) await seedDemo(db);
  return {
    seeded,
    password: DEMO_PASSWORD,
    accounts: demoUsers.map((u) => ({ username: u.username, role: u.role, displayName: u.displayName })),
  };
}

export async function seedDemo(db: Kysely<DB>): Promise<void> {
  const pwHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction().execute(async (trx) => {
    const byCode = new Map<string, { id: string; path: string }>();
    const insert = async (r: DemoRegion, depth: number, parent: { id: string; path: string } | null, sort: number) => {
      const id = crypto.randomUUID();
      const path = `${parent?.path ?? '/'}${id}/`;
      await trx
        .insertInto('region')
        .values({ id, parent_id: parent?.id ?? null, level: LEVELS[depth] as string, code: r.code, name: r.name, path, sort_order: sort, kind: r.kind ?? null })
        .execute();
      byCode.set(r.code, { id, path });
      let i = 0;
      for (const c of r.children ?? []) await insert(c, depth + 1, { id, path }, i++);
    };
    await insert(demoDistrict, 0, null, 0);

    const orgByKey = new Map<string, string>();
    const addOrg = async (regionCode: string, kind: 'center' | 'station' | 'department', name: string, extra: { deptCode?: string; phone?: string } = {}) => {
      const region = byCode.get(regionCode);
      if (!region) throw new Error(`demo org unit: unknown region ${regionCode}`);
      const row = await trx
        .insertInto('org_unit')
        .values({ region_id: region.id, kind, name, dept_code: extra.deptCode ?? null, phone: extra.phone ?? null })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    };
    const walk = async (r: DemoRegion, depth: number) => {
      const level = LEVELS[depth];
      if (level === 'community') orgByKey.set(r.code, await addOrg(r.code, 'station', `${r.name}网格化服务管理站`));
      else orgByKey.set(r.code, await addOrg(r.code, 'center', `${r.name}网格化服务管理中心`));
      for (const c of r.children ?? []) await walk(c, depth + 1);
    };
    await walk(demoDistrict, 0);
    for (const d of demoDepartments) orgByKey.set(d.name, await addOrg(demoDistrict.code, 'department', d.name, d));

    for (const u of demoUsers) {
      const user = await trx
        .insertInto('app_user')
        .values({
          username: u.username,
          display_name: u.displayName,
          mobile: u.mobile,
          role: u.role,
          org_unit_id: u.orgUnit ? (orgByKey.get(u.orgUnit) ?? null) : null,
          password_hash: pwHash,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const capture = u.scope ? [u.scope] : [];
      const view = u.view ?? capture;
      const rows = [
        ...capture.map((c) => ({ user_id: user.id, kind: 'capture' as const, region_id: byCode.get(c)?.id as string })),
        ...view.map((c) => ({ user_id: user.id, kind: 'view' as const, region_id: byCode.get(c)?.id as string })),
      ];
      if (rows.length) await trx.insertInto('user_scope').values(rows).execute();
    }
  });
}

export function printDemoBanner(demo: DemoSummary, url: string) {
  console.log(`\n  演示账号 / demo accounts (密码 / password: ${demo.password})  →  ${url}`);
  for (const a of demo.accounts) {
    console.log(`    ${a.username.padEnd(16)} ${roleLabels[a.role as keyof typeof roleLabels]?.zh ?? a.role}（${a.displayName}）`);
  }
  console.log('');
}
