import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Checks `Authorization: Bearer <token>` against ADMIN_TOKEN in constant time (both sides hashed
 * to the same length first, so neither the content nor the length leaks through timing).
 */
export function requireAdmin(request: FastifyRequest, adminToken: string | undefined): void {
  if (adminToken === undefined) {
    throw new AppError(
      'ADMIN_DISABLED',
      'Admin routes are disabled: set ADMIN_TOKEN (at least 16 characters) and restart to enable them',
    );
  }
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (match?.[1] === undefined) {
    throw new AppError('UNAUTHORIZED', 'Send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"');
  }
  if (!timingSafeEqual(digest(match[1]), digest(adminToken))) {
    throw new AppError('FORBIDDEN', 'The admin token is not valid');
  }
}
