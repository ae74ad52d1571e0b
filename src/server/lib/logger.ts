import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';

/** Fastify's logger interface, which a pino logger and a request's child logger both satisfy. */
export type Logger = FastifyBaseLogger;

/** JSON logs; secrets and credentials are redacted wherever they appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'kefu' },
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        '*.password',
        '*.secret',
        '*.token',
      ],
      censor: '[redacted]',
    },
  });
}
