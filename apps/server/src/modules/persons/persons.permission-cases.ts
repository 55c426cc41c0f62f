import type { Case } from '../../../test/permission-matrix.types.js';

/** Permission-matrix cases of this module's endpoints (merged by src/http/permission-matrix.int.test.ts). */
export const personsCases: Record<string, Case> = {};
