/**
 * The one error handler: every error leaves as `{ error: { code, message, requestId } }`.
 * Invalid input is a 400 with the issues; unexpected errors are logged and become a 500 that
 * says nothing about the internals.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../lib/errors.ts';

const fastifyCodes: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'the body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json', 'the body is empty but declared as JSON'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large', 'the body is larger than the configured limit'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'unsupported content type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_content_length', 'content-length does not match the body'],
};

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    const requestId = String(req.id);
    if (err instanceof AppError) {
      return reply.status(err.status).send({
        error: { code: err.code, message: err.message, requestId, ...(err.details ? { issues: err.details } : {}) },
      });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        path: `${err.validationContext ?? ''}${v.instancePath}`,
        message: v.message,
        params: v.params,
      }));
      const first = issues[0];
      return reply.status(400).send({
        error: {
          code: 'invalid_input',
          message:
            `invalid ${err.validationContext ?? 'input'}: ${first ? `${first.path || '/'} ${first.message}` : ''}`.trim(),
          requestId,
          issues,
        },
      });
    }
    const known = err.code ? fastifyCodes[err.code] : undefined;
    if (known) return reply.status(known[0]).send({ error: { code: known[1], message: known[2], requestId } });
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = status === 429 ? 'rate_limited' : (err.code ?? 'bad_request').toLowerCase();
      return reply.status(status).send({ error: { code, message: err.message, requestId } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply
      .status(500)
      .send({ error: { code: 'internal', message: 'internal error; the request id is in the server log', requestId } });
  });
}

export function sendNotFound(req: FastifyRequest, reply: FastifyReply) {
  return reply.status(404).send({
    error: {
      code: 'not_found',
      message: `no route ${req.method} ${req.url.split('?')[0]}`,
      requestId: String(req.id),
    },
  });
}
