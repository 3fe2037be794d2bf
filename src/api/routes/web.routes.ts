/**
 * The web page: `/` and its two static files under `/ui/`, read from `assets/web/` once at start-up
 * and served from memory. Not part of the API (hidden from the OpenAPI document); it calls the
 * public `/api/v1` routes from the browser.
 */
import { readFileSync } from 'node:fs';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { assetPath } from '../../config/paths.js';
import { NoQuery } from '../schemas/common.schema.js';

interface WebFile {
  url: string;
  file: string;
  type: string;
  /** Cache-Control: the page is always revalidated; its files may be kept briefly. */
  cache: string;
}

const FILES: readonly WebFile[] = [
  { url: '/', file: 'index.html', type: 'text/html; charset=utf-8', cache: 'no-cache' },
  { url: '/ui/app.js', file: 'app.js', type: 'text/javascript; charset=utf-8', cache: 'public, max-age=300' },
  { url: '/ui/style.css', file: 'style.css', type: 'text/css; charset=utf-8', cache: 'public, max-age=300' },
];

export const webRoutes: FastifyPluginCallbackTypebox = (app, _options, done) => {
  for (const { url, file, type, cache } of FILES) {
    const body = readFileSync(assetPath(`web/${file}`));
    app.get(url, { schema: { hide: true, querystring: NoQuery } }, (_request, reply) =>
      reply.type(type).header('cache-control', cache).send(body),
    );
  }
  done();
};
