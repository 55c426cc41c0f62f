import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import type { ErrorCode } from '@gridgov/contracts/errors';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import type { Access } from './http/access.js';
import { installErrorHandling } from './http/error-handler.js';
import { createGate } from './http/gate.js';
import type { Principal } from './http/principal.js';
import { createPiiCipher } from './lib/pii-crypto.js';
import { actorOf } from './lib/request-meta.js';
import { createAdjustmentsRepository } from './modules/adjustments/adjustments.repository.js';
import { registerAdjustmentsRoutes } from './modules/adjustments/adjustments.routes.js';
import { createAdjustmentsService } from './modules/adjustments/adjustments.service.js';
import { reattributionRegistry } from './modules/adjustments/reattribution.registry.js';
import { createAuditRepository } from './modules/audit/audit.repository.js';
import { registerAuditRoutes } from './modules/audit/audit.routes.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { createAuthRepository } from './modules/auth/auth.repository.js';
import { registerAuthRoutes } from './modules/auth/auth.routes.js';
import { createAuthService } from './modules/auth/auth.service.js';
import { createLoginThrottle } from './modules/auth/login-throttle.js';
import { createPasswordService } from './modules/auth/password.service.js';
import { createPrincipalResolver } from './modules/auth/principal.resolver.js';
import { createSessionService } from './modules/auth/session.service.js';
import { registerCalendarModule } from './modules/calendar/index.js';
import { registerCaseArchive } from './modules/cases/archive.routes.js';
import { registerCasesModule } from './modules/cases/index.js';
import { registerCatalogueModule } from './modules/catalogue/index.js';
import { registerCliRoutes } from './modules/cli/cli.routes.js';
import { createGridioRepository } from './modules/gridio/gridio.repository.js';
import { registerGridioRoutes } from './modules/gridio/gridio.routes.js';
import { createGridioService } from './modules/gridio/gridio.service.js';
import { createGridIndexKeeper } from './modules/gridlookup/grid-index.js';
import { createGridLookupRepository } from './modules/gridlookup/gridlookup.repository.js';
import { registerGridLookupRoutes } from './modules/gridlookup/gridlookup.routes.js';
import { createGridLookupService, gridIndexSource } from './modules/gridlookup/gridlookup.service.js';
import { createRateLimiter } from './modules/gridlookup/rate-limit.js';
import { createCoverageService } from './modules/grids/coverage.service.js';
import { createGeometryRepository } from './modules/grids/geometry.repository.js';
import { createGridExportService } from './modules/grids/grid-export.service.js';
import { createGridsRepository } from './modules/grids/grids.repository.js';
import { registerGridsRoutes } from './modules/grids/grids.routes.js';
import { createGridsService } from './modules/grids/grids.service.js';
import { createRegionBoundaryRepository } from './modules/grids/region-boundary.repository.js';
import { createRegionBoundaryService } from './modules/grids/region-boundary.service.js';
import { createSizeNormsRepository } from './modules/grids/size-norms.repository.js';
import { createSizeNormsService } from './modules/grids/size-norms.service.js';
import { createStaffRepository } from './modules/grids/staff.repository.js';
import { createStaffService } from './modules/grids/staff.service.js';
import { registerHealthRoutes } from './modules/health/health.routes.js';
import { registerIndicatorsModule } from './modules/indicators/index.js';
import { createAttachmentsRepository } from './modules/intake/attachments.repository.js';
import { createAttachmentsService } from './modules/intake/attachments.service.js';
import { createBlobStores } from './modules/intake/blob-stores.js';
import { registerIntakeModule } from './modules/intake/index.js';
import { registerOpen311Module } from './modules/open311/index.js';
import { createOrgUnitsRepository } from './modules/orgunits/orgunits.repository.js';
import { registerOrgUnitsRoutes } from './modules/orgunits/orgunits.routes.js';
import { createOrgUnitsService } from './modules/orgunits/orgunits.service.js';
import { registerPersonsModule } from './modules/persons/index.js';
import { registerPlacesModule } from './modules/places/index.js';
import { createRegionsRepository } from './modules/regions/regions.repository.js';
import { registerRegionsRoutes } from './modules/regions/regions.routes.js';
import { createRegionsService } from './modules/regions/regions.service.js';
import type { RegistryContext } from './modules/registry-common/context.js';
import { createRecordScope } from './modules/registry-common/record-scope.js';
import { createRecordScopeRepository } from './modules/registry-common/record-scope.repository.js';
import { registerRegistryIoModule } from './modules/registry-io/index.js';
import { registerSlaModule } from './modules/sla/index.js';
import { createTokenRepository } from './modules/tokens/tokens.repository.js';
import { registerTokenRoutes } from './modules/tokens/tokens.routes.js';
import { createTokenService } from './modules/tokens/tokens.service.js';
import { createUsersRepository } from './modules/users/users.repository.js';
import { registerUsersRoutes } from './modules/users/users.routes.js';
import { createUsersService } from './modules/users/users.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** The session's CSRF token when the principal came from a cookie session. */
    csrfToken: string | null;
    /** Why authentication failed (expired session, revoked token) when a credential was sent. */
    authFailure: ErrorCode | null;
  }
  interface FastifyInstance {
    routeRegistry: RegisteredRoute[];
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
  access: Access;
}

/** Resolves the caller from the request's cookie or bearer token (implemented by the auth module). */
export interface PrincipalResolver {
  resolve(req: FastifyRequest): Promise<{ principal: Principal; csrfToken?: string } | { failure: ErrorCode } | null>;
}

export interface AppDeps {
  config: Config;
  database: Database;
  version: string;
  /** Secret the CLI presents to ask this running server to act for it (see lib/data-dir-lock.ts). */
  cliSecret?: string;
}

/** The composition root: the only place that knows every module. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database } = deps;
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : { level: config.logLevel, redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'] },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);

  app.decorate('routeRegistry', [] as RegisteredRoute[]);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!route.url.startsWith('/api/') && !route.url.startsWith('/open311/')) return;
    const access = route.config?.access as Access | undefined;
    if (access === undefined) throw new Error(`route ${methods.join(',')} ${route.url} declares no access rule`);
    for (const m of methods) if (m !== 'HEAD') app.routeRegistry.push({ method: m, url: route.url, access });
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'gridgov 网格化服务管理平台 API', version: deps.version },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'gridgov_sid' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifyCookie);

  app.decorateRequest('principal', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('authFailure', null);

  const audit = createAuditRepository(database.db);
  const gate = createGate(async (req, reason) => {
    await audit.append({
      action: 'access.denied',
      outcome: 'denied',
      ...actorOf(req.principal),
      targetType: 'route',
      targetId: `${req.method} ${req.routeOptions.url}`,
      ip: req.ip,
      requestId: String(req.id),
      details: { reason },
    });
  });

  // Security headers on every response; the console needs no third-party origin.
  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-request-id', String(_req.id));
  });

  const resolver = await registerModules(app, deps, audit);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/') && !req.url.startsWith('/open311/')) return;
    const r = await resolver.resolve(req);
    if (r && 'principal' in r) {
      req.principal = r.principal;
      req.csrfToken = r.csrfToken ?? null;
    } else if (r) {
      req.authFailure = r.failure;
    }
  });
  // Before the body is parsed: a caller who may not use the route gets 401/403, never a parse or
  // validation error about a body the server had no business reading.
  app.addHook('onRequest', gate);

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  serveWebApp(app, config);
  return app;
}

/** Each module registers its routes here; services get only the dependencies they use. */
async function registerModules(app: FastifyInstance, deps: AppDeps, audit: ReturnType<typeof createAuditRepository>): Promise<PrincipalResolver> {
  const { database } = deps;
  const { config } = deps;
  // attachment files on disk or in an S3-compatible bucket (ATTACHMENT_STORAGE); rows in event_case_attachment
  const blobStores = createBlobStores(config);
  // A wrong bucket or key would otherwise surface only at the first upload: say so at start (and on /api/health).
  void blobStores.writeStatus().then((s) => {
    if (!s.ok) app.log.error({ storage: s }, `附件存储不可用，上传将失败 / attachment storage unavailable, uploads will fail: ${s.error}`);
  });
  registerHealthRoutes(app, { database, version: deps.version, storage: blobStores });
  const pii = createPiiCipher(requireEncryptionKey(config.encryptionKey));
  registerCliRoutes(app, { database, cliSecret: deps.cliSecret, profile: config.profile, pii });

  // auth (and API tokens, which the principal resolver needs)
  const sessionSecret = requireSecret(config.sessionSecret);
  const authRepo = createAuthRepository(database.db);
  const throttle = createLoginThrottle({ maxFailures: 20, windowMs: 10 * 60_000 });
  const auth = createAuthService({ repo: authRepo, audit, config: { ...config, sessionSecret }, throttle });
  const passwords = createPasswordService({ repo: authRepo, audit, throttle });
  const sessions = createSessionService({ repo: authRepo, audit, config });
  registerAuthRoutes(app, { auth, passwords, sessions, cookieSecure: config.cookieSecure });
  const tokens = createTokenService({ repo: createTokenRepository(database.db), users: authRepo, audit, secret: sessionSecret });
  registerTokenRoutes(app, { tokens });
  const resolver = createPrincipalResolver({ auth, resolveToken: tokens.resolve });

  // MODULES: each further feature module adds its block here (one block per module).

  // grids (codes, versioned boundaries, map features, coverage check, size norms, staffing, xlsx export; community boundaries)
  const gridsRepo = createGridsRepository(database.db);
  const geo = createGeometryRepository(database.db);
  const grids = createGridsService({ repo: gridsRepo, geo, audit });
  const staffRepo = createStaffRepository(database.db);
  registerGridsRoutes(app, {
    grids,
    coverage: createCoverageService({ db: database.db, grids: gridsRepo }),
    sizeNorms: createSizeNormsService({ repo: createSizeNormsRepository(database.db), grids: gridsRepo, audit }),
    staff: createStaffService({ repo: staffRepo, grids: gridsRepo, detail: grids.get, audit }),
    exporter: createGridExportService({ staff: staffRepo, grids: gridsRepo, audit }),
    regionBoundaries: createRegionBoundaryService({ repo: createRegionBoundaryRepository(database.db), grids: gridsRepo, geo, audit }),
  });

  // grid lookup (point → grid from the in-process index; public lookup by coordinates or address, 60/min per IP)
  const gridLookupRepo = createGridLookupRepository(database.db);
  // One index per process, shared by the lookup endpoints and every registry intake path.
  const gridIndex = createGridIndexKeeper(gridIndexSource(gridLookupRepo));
  const gridLookup = createGridLookupService({
    repo: gridLookupRepo,
    index: gridIndex,
    limiter: createRateLimiter({ limit: 60, windowMs: 60_000 }),
  });
  registerGridLookupRoutes(app, { gridLookup });

  // grid adjustments (apply → review → notice → effect, with re-attribution of located records)
  const adjustments = createAdjustmentsService({
    repo: createAdjustmentsRepository(database.db),
    audit,
    registry: reattributionRegistry,
    log: (err, id) => app.log.error({ err, adjustmentId: id }, 'grid adjustment could not take effect'),
  });
  registerAdjustmentsRoutes(app, { adjustments });

  // grid import (GeoJSON, shapefile zip) and GeoJSON export
  registerGridioRoutes(app, { gridio: createGridioService({ repo: createGridioRepository(database.db), audit }) });

  // basic-information registry: places (buildings, houses, organisations, facilities, key places, freshness),
  // persons (households, residence, special groups, unmasking, break-the-glass), registry-io (import, export, cross-check)
  const registry: RegistryContext = {
    db: database.db,
    audit,
    scope: createRecordScope(createRecordScopeRepository(database.db)),
    index: gridIndex,
    pii,
    config,
  };
  registerPlacesModule(app, registry);
  registerPersonsModule(app, registry);
  registerRegistryIoModule(app, registry);

  // working-day calendar (holiday schedules + 调休, office hours per jurisdiction, deadline preview)
  const calendar = registerCalendarModule(app, { db: database.db, audit });

  // cases: lists (queue, inbox, my grids, my reports), detail, workflow actions; open cases follow grid adjustments
  const cases = registerCasesModule(app, { db: database.db, pii, calendar });
  const attachments = createAttachmentsService({
    repo: createAttachmentsRepository(database.db),
    stores: blobStores,
    dataDir: config.dataDir,
    maxBytes: config.intake.attachmentMaxBytes,
    visibleCase: (p, id) => cases.workflow.visibleCase(p, id),
  });
  // the case's electronic archive (.docx) for whoever may view the case, audited as an export
  registerCaseArchive(app, { db: database.db, audit, detail: cases.cases.detail, stores: blobStores });

  // event catalogue (classes → items with versioned rules) and routing rules (category × region → departments)
  registerCatalogueModule(app, { db: database.db, audit });

  // SLA notifications (the overdue scanner runs as a job) and case indicators with their configurable denominators
  registerSlaModule(app, { db: database.db });
  registerIndicatorsModule(app, { db: database.db, audit });

  // Open311 GeoReport v2 at /open311/v2/ (public reads rate-limited per address; submissions with an API token as api_key)
  registerOpen311Module(app, {
    db: database.db,
    audit,
    pii,
    calendar,
    index: gridIndex,
    resolveToken: tokens.resolve,
    media: {
      ingestPhoto: attachments.ingestPhoto,
      timeoutMs: config.open311.mediaTimeoutMs,
      maxBytes: config.intake.attachmentMaxBytes.photo,
      privateHosts: config.open311.mediaPrivateHosts,
    },
  });

  // intake: reports (grid worker, resident, staff proxy), suggestions and duplicates, attachments, 12345 hotline and device alarms
  registerIntakeModule(app, {
    db: database.db,
    audit,
    index: gridIndex,
    pii,
    config,
    calendar,
    // 自行处置 right after a grid worker's report: the workflow's own action (its own transaction).
    applyAction: (p, id, body) => cases.workflow.act(p, id, body),
    attachments,
  });

  // regions (tree, level names)
  const regions = createRegionsService({ repo: createRegionsRepository(database.db), audit });
  registerRegionsRoutes(app, { regions });

  // org units (centers, stations, departments)
  const orgUnits = createOrgUnitsService({ repo: createOrgUnitsRepository(database.db), audit });
  registerOrgUnitsRoutes(app, { orgUnits });

  // audit search
  registerAuditRoutes(app, { audit: createAuditService({ repo: audit }) });

  // users
  const users = createUsersService({ repo: createUsersRepository(database.db), audit });
  registerUsersRoutes(app, { users });

  return resolver;
}

function requireEncryptionKey(k: Buffer | undefined): Buffer {
  if (!k) throw new Error('DATA_ENCRYPTION_KEY is missing (ensureInstallSecrets runs before buildApp)');
  return k;
}

function requireSecret(s: string | undefined): string {
  if (!s) throw new Error('SESSION_SECRET is missing (ensureInstallSecrets runs before buildApp)');
  return s;
}

/** In production one process serves the API and the built console on one port. */
function serveWebApp(app: FastifyInstance, config: Config) {
  const index = path.join(config.webDist, 'index.html');
  if (!existsSync(index)) {
    app.log.warn({ webDist: config.webDist }, 'web app not built: run `npm run build:web`; serving the API only');
    return;
  }
  void app.register(fastifyStatic, { root: config.webDist, wildcard: false, index: ['index.html'] });
  app.addHook('onRequest', async (req, reply) => {
    // Client-side routes (/users, /audit …) get the console's index.html.
    if (req.method !== 'GET' || req.url.startsWith('/api/') || req.url.startsWith('/open311/')) return;
    const urlPath = req.url.split('?')[0] ?? '/';
    if (path.extname(urlPath)) return;
    return reply.sendFile('index.html');
  });
}
