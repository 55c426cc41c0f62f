import type { Principal } from '../../http/principal.js';

/**
 * Sensitivity levels of special-group entries the caller may see: 1 with registry read in scope,
 * 2 with `special.sensitive`, 3 with `special.restricted`. Anything else is invisible (not even counted
 * in lists); the person page shows only how many are hidden, so break-the-glass is discoverable.
 */
export function visibleSensitivities(p: Principal): number[] {
  const v = [1];
  if (p.permissions.has('special.sensitive')) v.push(2);
  if (p.permissions.has('special.restricted')) v.push(3);
  return v;
}

export const canSeeSensitivity = (p: Principal, s: number) => visibleSensitivities(p).includes(s);
