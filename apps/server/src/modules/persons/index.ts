import type { FastifyInstance } from 'fastify';
import type { RegistryContext } from '../registry-common/context.js';

/** Builds this module's services from the shared registry context and registers its routes. */
export function registerPersonsModule(_app: FastifyInstance, _ctx: RegistryContext): void {}
