import type { FastifyBaseLogger } from 'fastify';
import pino, { type DestinationStream } from 'pino';
import pretty from 'pino-pretty';

/** Fastify's logger interface, which a pino logger and a request's child logger both satisfy. */
export type Logger = FastifyBaseLogger;

/**
 * A URL for the log: the path, and the query's names without their values. Query values carry
 * bearer secrets (signed attachment links `?t=`, widget tokens) and personal data (a search for a
 * phone number), and a log is read by more people than the data is.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const names = url
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0]}=[redacted]`);
  return `${url.slice(0, q)}?${names.join('&')}`;
}

type LoggedRequest = {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
  headers?: Record<string, unknown>;
};

/**
 * Where logs go by default: readable lines on a terminal (pino-pretty), JSON lines otherwise
 * (a file, a pipe, journald, a log shipper).
 */
export function defaultDestination(
  tty = process.stdout.isTTY === true,
  to?: NodeJS.WritableStream,
): DestinationStream | undefined {
  if (!tty) return undefined;
  return pretty({
    sync: true,
    colorize: !to,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service',
    ...(to ? { destination: to } : {}),
  });
}

/**
 * JSON logs; secrets and credentials are redacted wherever they appear, query values always.
 * `sink` also receives the warnings and errors (the ops recorder's log store, lib/ops-records).
 */
export function createLogger(
  level: string,
  destination: DestinationStream | undefined = defaultDestination(),
  sink?: DestinationStream,
): Logger {
  const out =
    sink && level !== 'silent'
      ? pino.multistream([
          { level: level as pino.Level, stream: destination ?? pino.destination(1) },
          { level: 'warn', stream: sink },
        ])
      : destination;
  return pino(
    {
      level,
      base: { service: 'kefu' },
      serializers: {
        // Replaces Fastify's request serializer (which logs the raw URL with its query).
        req: (req: LoggedRequest) => ({
          method: req.method,
          url: redactUrl(req.url),
          version: req.headers?.['accept-version'],
          host: req.host,
          remoteAddress: req.ip,
          remotePort: req.socket?.remotePort,
        }),
      },
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
    },
    out,
  );
}
