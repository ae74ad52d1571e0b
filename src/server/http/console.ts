/**
 * Serves the built console from dist/web: hashed assets cached for a year, index.html never
 * cached, and any other GET for a page falls back to index.html (client-side routing).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const webDist = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

export async function installConsole(
  app: FastifyInstance,
  root = webDist,
): Promise<((req: FastifyRequest, reply: FastifyReply) => boolean) | null> {
  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn('console not built (dist/web missing): run `npm run build`');
    return null;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: true,
    index: false,
    cacheControl: false, // set below, per file
    setHeaders(reply, path) {
      reply.header('cache-control', /[/\\]assets[/\\]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  // The static handler would answer `/` (a directory, indexes off) with 403: the root is the console.
  app.get('/', { schema: { hide: true } }, (_req, reply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html'),
  );
  const reserved = /^\/(api|ws|livez|readyz|metrics)(\/|$)/;
  return (req, reply) => {
    if (req.method !== 'GET' || reserved.test(req.url) || /\.\w+$/.test(req.url.split('?')[0])) return false;
    void reply.header('cache-control', 'no-cache').sendFile('index.html');
    return true;
  };
}
