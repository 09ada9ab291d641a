import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors/gateway-error.ts';
import { replyWithError } from '../error-handler.ts';

/** Where `npm run build` puts the console (the same place from src/http/console and from dist/http/console). */
export const consoleDirectory = fileURLToPath(new URL('../../../dist/console/', import.meta.url));

/** The console talks only to this gateway; outputs may come from PUBLIC_URL, which can be another origin. */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self' ws: wss:",
  'img-src * data: blob:',
  'media-src * data: blob:',
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** The web console at /console/ (static files built by Vite at install time); `/` leads there. */
export async function registerConsole(app: FastifyInstance) {
  app.get('/', { schema: { hide: true } }, (_request, reply) => reply.redirect('/console/'));
  app.get('/console', { schema: { hide: true } }, (_request, reply) => reply.redirect('/console/'));
  if (!existsSync(consoleDirectory)) {
    app.get('/console/*', { schema: { hide: true } }, (_request, reply) => replyWithError(reply, new GatewayError('NOT_FOUND', 'The console is not built: run `npm run build` (npm ci does it)')));
    return;
  }
  await app.register(fastifyStatic, {
    root: consoleDirectory,
    prefix: '/console/',
    decorateReply: false,
    setHeaders: (response, filePath) => {
      response.setHeader('content-security-policy', contentSecurityPolicy);
      response.setHeader('x-content-type-options', 'nosniff');
      response.setHeader('referrer-policy', 'no-referrer');
      // Vite names assets by their content hash, so they never change; the page itself is checked every time.
      response.setHeader('cache-control', filePath.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
