/**
 * Throws random JSON (and random ids) at every write route and asserts the server never
 * answers with a 5xx, and that a refused request changed nothing (no audit entry).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, testApp, type Client, type TestApp, allTables } from '../testing/harness.ts';

describe.each(engines)('fuzzing write routes on %s', (engine) => {
  let t: TestApp;
  let owner: Client;

  beforeAll(async () => {
    t = await testApp(engine);
    owner = (await t.workspace('fuzz', { installationOwner: true })).owner;
  });
  afterAll(async () => t?.close());

  // A wrong password confirmation is recorded as a failed attempt (it counts toward the lockout):
  // that entry is a record of the refusal, not a change.
  const auditCount = async () =>
    (
      await allTables(t.s)
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', 'not in', ['user.login_failed', 'user.locked_out'])
        .executeTakeFirstOrThrow()
    ).n;

  it('never answers a write with a 5xx', async () => {
    const writes = t.app.kefuRoutes.filter((r) => r.method !== 'GET' && r.url !== '/api/auth/logout');
    expect(writes.length).toBeGreaterThan(10);
    const body = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(
        fc.constantFrom(
          'name',
          'email',
          'role',
          'password',
          'scopes',
          'timezone',
          'disabled',
          'code',
          'workspaceId',
          'slug',
          'admin',
        ),
        fc.jsonValue(),
      ),
    );
    const id = fc.oneof(fc.string({ minLength: 1, maxLength: 80 }), fc.constant(owner.actor.userId));
    for (const route of writes) {
      await fc.assert(
        fc.asyncProperty(body, id, async (payload, rawId) => {
          const before = await auditCount();
          const res = await owner.request({
            method: route.method as 'POST',
            url: route.url.replace(':id', encodeURIComponent(rawId)),
            payload: JSON.stringify(payload),
            headers: { 'content-type': 'application/json' },
          });
          const label = `${route.method} ${route.url} ${JSON.stringify(payload).slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 200)}`;
          if (res.statusCode >= 500) throw new Error(label);
          if (res.statusCode === 400) {
            expect(res.json().error.code, label).toMatch(
              /^(invalid_input|invalid_json|bad_request|wrong_password|invalid_totp)$/,
            );
            expect(await auditCount(), label).toBe(before);
          }
        }),
        { numRuns: 40 },
      );
    }
  }, 180_000); // a walk over every write route: it grows with the route table

  it('never answers garbage bytes with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 300 }),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        async (raw, type) => {
          const res = await owner.request({
            method: 'POST',
            url: '/api/users',
            payload: raw,
            headers: { 'content-type': type },
          });
          expect(res.statusCode).toBeGreaterThanOrEqual(400);
          expect(res.statusCode).toBeLessThan(500);
          expect(res.json().error.code).toBeTruthy();
        },
      ),
      { numRuns: 100 },
    );
  });
});
