import { describe, expect, it } from 'vitest';
import { defaultCatalogue } from './default-catalogue.js';
import { demoDepartments } from './demo-district.js';

describe('the default event catalogue', () => {
  it('has 3 major classes of 20 items with unique codes under their class code', () => {
    expect(defaultCatalogue.map((c) => c.name)).toEqual(['民生服务类', '安全隐患类', '公共管理类']);
    const codes = defaultCatalogue.flatMap((c) => c.items.map((i) => i.code));
    expect(new Set(codes).size).toBe(60);
    for (const c of defaultCatalogue) {
      expect(c.items).toHaveLength(20);
      for (const i of c.items) expect(i.code.startsWith(c.code)).toBe(true);
    }
  });

  it('names only departments the demo district has, and positive limits for every stage', () => {
    const depts = new Set(demoDepartments.map((d) => d.deptCode));
    for (const i of defaultCatalogue.flatMap((c) => c.items)) {
      if (i.dept) expect(depts.has(i.dept), `${i.code} ${i.dept}`).toBe(true);
      for (const l of Object.values(i.limits)) expect(l.amount).toBeGreaterThan(0);
    }
  });
});
