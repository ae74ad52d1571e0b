/**
 * Serves the chat widget: /widget.js (the loader, a stable URL merchants paste, so cached only
 * briefly) and /widget/* (the frame and its hashed assets). The frame may be embedded only by
 * the origins its inbox allows: the browser enforces that through CSP frame-ancestors.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../context.ts';
import { inboxByPublicId } from './service.ts';

export const widgetDist = fileURLToPath(new URL('../../../../dist/widget/', import.meta.url));

export async function installWidget(app: FastifyInstance, s: Services, root = widgetDist): Promise<void> {
  if (!existsSync(join(root, 'frame.html'))) {
    app.log.warn('widget not built (dist/widget missing): run `npm run build`');
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/widget/',
    decorateReply: false,
    index: false,
    cacheControl: false,
    allowedPath: (path) => path !== '/frame.html' && path !== '/widget.js',
    setHeaders(reply, path) {
      reply.header('cache-control', /[/\\]assets[/\\]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      reply.header('cross-origin-resource-policy', 'cross-origin');
    },
  });
  app.get('/widget.js', { schema: { hide: true } }, (_req, reply) =>
    reply
      .header('cache-control', 'public, max-age=300')
      .header('cross-origin-resource-policy', 'cross-origin')
      .type('text/javascript; charset=utf-8')
      .sendFile('widget.js', root),
  );
  app.get('/widget/frame.html', { schema: { hide: true } }, async (req, reply) => {
    const publicId = (req.query as Record<string, string | undefined>).inbox ?? '';
    const inbox = /^[\w-]{1,64}$/.test(publicId) ? await inboxByPublicId(s, publicId).catch(() => null) : null;
    const ancestors = !inbox
      ? "'none'"
      : inbox.settings.allowAnyOrigin
        ? '*'
        : inbox.settings.allowedOrigins.join(' ') || "'none'";
    reply.removeHeader('x-frame-options');
    return reply
      .header(
        'content-security-policy',
        `default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; frame-ancestors ${ancestors}`,
      )
      .header('cache-control', 'no-cache')
      .sendFile('frame.html', root);
  });
}
