import type { Role } from '@gridgov/contracts/roles';
import type { TestApp, TestSession } from './test-app.js';

/**
 * Shapes of the permission matrix (src/http/permission-matrix.int.test.ts). Modules keep their own
 * cases in `<module>.permission-cases.ts` files, which the matrix merges: every endpoint needs one.
 */
export type Target = 'in' | 'out';
export interface Who {
  role: Role;
  username: string;
  session: TestSession;
  /** The community inside this user's scope used for in-scope targets. */
  home: Home;
}
export interface Home {
  community: { id: string; code: string };
  street: { id: string; code: string };
  station: string;
  user: string;
}
export interface Fx {
  out: Home;
  seq(): number;
  t: TestApp;
  tokenOf(w: Who): Promise<string>;
}
export interface Req {
  method: string;
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}
export interface Case {
  build(fx: Fx, who: Who, target: Target): Req | Promise<Req>;
  /** Success status for an allowed, in-scope call (default 200). */
  ok?: number;
  /** Status for an allowed call aimed out of scope; null: the endpoint has no scoped target. */
  out?: number | null;
  /** Status without a session (default 401; public routes set their own). */
  anon?: number;
  /** Status for a signed-in caller on a public route that still refuses them (the CLI bridge). */
  fixed?: number;
}

export const get = (url: string): Req => ({ method: 'GET', url });
