import { timingSafeEqual } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type CliCommand, CliError, CreateUserArgs, ResetPasswordArgs, runCommand } from '../../cli/commands.js';
import { ExportArgs, ImportArgs } from '../../cli/registry-commands.js';
import type { Database } from '../../db/client.js';
import { AppError } from '../../http/app-error.js';
import type { PiiCipher } from '../../lib/pii-crypto.js';

const CliRequest = z.discriminatedUnion('command', [
  z.strictObject({ command: z.literal('migrate') }),
  z.strictObject({ command: z.literal('seed-demo') }),
  z.strictObject({ command: z.literal('create-user'), args: CreateUserArgs }),
  z.strictObject({ command: z.literal('reset-password'), args: ResetPasswordArgs }),
  z.strictObject({ command: z.literal('import'), args: ImportArgs }),
  z.strictObject({ command: z.literal('export'), args: ExportArgs }),
]);

function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Lets the `gridgov` CLI work while this server holds the embedded database. Only callers that can
 * read the data directory's lock file (mode 600) know the secret; everyone else gets 401.
 */
export function registerCliRoutes(app: FastifyInstance, deps: { database: Database; cliSecret: string | undefined; profile: string; pii: PiiCipher }) {
  app.post('/api/cli', { config: { access: 'public' }, schema: { hide: true, body: CliRequest } }, async (req, reply) => {
    if (!deps.cliSecret || !sameSecret(req.headers['x-gridgov-cli-secret'], deps.cliSecret)) throw new AppError('AUTH_REQUIRED');
    const cmd = req.body as CliCommand;
    if (cmd.command === 'import') {
      // An import runs for minutes: progress lines stream back as they come (one JSON object per line).
      const out = new PassThrough();
      const send = (m: unknown) => out.write(`${JSON.stringify(m)}\n`);
      runCommand(deps.database, cmd, { profile: deps.profile, pii: deps.pii, progress: (line) => send({ progress: line }) })
        .then((output) => send({ output }))
        .catch((e: Error) => send({ error: { message: e.message } }))
        .finally(() => out.end());
      return reply.header('content-type', 'application/x-ndjson; charset=utf-8').send(out);
    }
    try {
      return { output: await runCommand(deps.database, req.body as CliCommand, { profile: deps.profile, pii: deps.pii }) };
    } catch (e) {
      if (e instanceof CliError) throw new AppError('VALIDATION_FAILED', { message: e.message });
      throw e;
    }
  });
}
