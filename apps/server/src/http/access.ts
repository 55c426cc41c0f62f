import type { Permission } from '@gridgov/contracts/roles';

/**
 * What a route requires before its handler runs. Every route must declare one (app.ts refuses to
 * register a route without it), so the permission-matrix test can enumerate them all.
 *  - public: anyone, signed in or not
 *  - authenticated: any signed-in principal, even one that must still change its password
 *  - active: signed in and not blocked by a forced password change
 *  - { permission }: active and the role holds that permission; scope is checked by the service
 */
export type Access = 'public' | 'authenticated' | 'active' | { permission: Permission };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}
