/**
 * Agents' avatars (issue #16 defect 12): an upload is checked at the edge (type by magic bytes,
 * size, dimensions) and a refused one stores nothing; the widget's session and messages carry the
 * avatar's public address, which serves the image as an image only and names no account; another
 * workspace reaches it only through that public address.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { png as paint } from '../../../../e2e/png.ts';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { multipart, png as tinyPng } from '../../testing/multipart.ts';
import { messagesAfter } from './index.ts';

const goodPng = paint(32, 32, (x, y) => [x * 8, y * 8, 128]);

describe.each(engines)('agent avatars on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  const put = (who: Client, body: Buffer, type = 'image/png', name = 'me.png') => {
    const m = multipart(name, type, body);
    return who.request({ method: 'PUT', url: '/api/profile/avatar/image', payload: m.payload, headers: m.headers });
  };
  const stored = async () => (await allTables(t.s).selectFrom('attachments').select('id').execute()).length;

  it('refuses a bad type, an oversize file or absurd dimensions with a reason, and stores nothing', async () => {
    t = await testApp(engine);
    const { owner } = await t.workspace('shop');
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const huge = Buffer.concat([goodPng, Buffer.alloc(1024 * 1024)]);
    const cases: [Buffer, string, number, string][] = [
      [html, 'image/png', 415, 'unsupported_file_type'], // declared PNG, bytes are HTML
      [Buffer.from('GIF89a\x01\x00\x01\x00'), 'image/gif', 415, 'unsupported_file_type'],
      [huge, 'image/png', 413, 'file_too_large'],
      [tinyPng, 'image/png', 400, 'bad_request'], // 1×1
    ];
    for (const [body, type, status, code] of cases) {
      const res = await put(owner, body, type);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error).toMatchObject({ code, message: expect.any(String) });
    }
    expect(await stored()).toBe(0);
    expect((await owner.get('/api/auth/me')).json().user.avatarUrl).toMatch(/^\/api\/agent-avatars\//);
    // Roles that never answer shoppers have no avatar to set.
    const { id: wsId } = await t.workspace('x');
    const auditor = await t.user(wsId, 'auditor');
    expect((await put(auditor, goodPng)).statusCode).toBe(403);
  });

  it("puts the avatar on the shopper's session and messages, served as an image only, and nowhere else across workspaces", async () => {
    t = await testApp(engine);
    const { id: wsId, owner } = await t.workspace('shop');
    const agent = await t.user(wsId, 'agent');
    await owner.patch(`/api/users/${agent.actor.userId}`, { displayName: '客服小雨' });
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    const session = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/session`,
        payload: { visitorId: 'avatar-visitor-000001', origin: 'https://shop.example.com' },
      });
    await t.app.inject({
      method: 'POST',
      url: `/api/widget/${inbox.publicId}/offline-message`,
      headers: { authorization: `Widget ${(await session()).json().token}` },
      payload: { contact: '13800138000', body: '在吗' },
    });
    const conv = (await owner.get('/api/conversations')).json().items[0];
    expect((await session()).json().agent).toBeNull(); // nobody has it yet

    // Before any upload: generated initials of the display name, never the account name.
    const generated = await t.app.inject({ method: 'GET', url: `/api/agent-avatars/${agent.actor.userId}` });
    expect(generated.statusCode).toBe(200);
    expect(generated.headers['content-type']).toContain('image/svg+xml');
    expect(generated.headers['x-content-type-options']).toBe('nosniff');
    expect(generated.headers['content-security-policy']).toContain("default-src 'none'");
    expect(generated.body).toContain('>客</text>');
    expect(generated.body).not.toContain(agent.actor.email);
    expect(
      (await agent.request({ method: 'PUT', url: '/api/profile/avatar/initials', payload: { color: '#13a8a8' } }))
        .statusCode,
    ).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/agent-avatars/${agent.actor.userId}` })).body).toContain(
      '#13a8a8',
    );
    expect(
      (await agent.request({ method: 'PUT', url: '/api/profile/avatar/initials', payload: { color: 'red;x' } }))
        .statusCode,
    ).toBe(400);

    expect((await put(agent, goodPng)).statusCode).toBe(200);
    await agent.post(`/api/conversations/${conv.id}/messages`, { clientId: 'a1', body: '您好，我是小雨' });
    const s = (await session()).json();
    const url = `/api/agent-avatars/${agent.actor.userId}`;
    expect(s.agent).toEqual({ name: '客服小雨', avatar: url }); // replying took the conversation
    const shopperView = await messagesAfter(t.s, conv.id, 0, 50, true);
    expect(shopperView.at(-1)!.m.sender).toEqual({
      type: 'agent',
      id: agent.actor.userId,
      name: '客服小雨',
      avatar: url,
    });
    expect(JSON.stringify(shopperView)).not.toContain(agent.actor.email);
    const image = await t.app.inject({ method: 'GET', url }); // no credentials: the shopper's browser
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['x-content-type-options']).toBe('nosniff');
    expect(image.rawPayload.equals(goodPng)).toBe(true);

    // Stored as the workspace's attachment, kept from the purge; a new avatar lets the old one go.
    const rows = () => allTables(t.s).selectFrom('attachments').select(['id', 'workspace_id', 'attached_at']).execute();
    const [first] = await rows();
    expect(first).toMatchObject({ workspace_id: wsId, attached_at: expect.any(String) });
    expect(
      (
        await put(
          agent,
          paint(20, 20, () => [0, 0, 0]),
        )
      ).statusCode,
    ).toBe(200);
    expect((await rows()).find((r) => r.id === first.id)!.attached_at).toBeNull();

    // Another workspace: the public address is the only way in; the attachment itself needs a signature.
    const { owner: other } = await t.workspace('other');
    const current = (await rows()).find((r) => r.attached_at)!;
    expect((await other.get(`/api/attachments/${current.id}?t=forged`)).statusCode).toBe(403);
    expect((await other.get(`/api/users/${agent.actor.userId}`)).statusCode).toBe(404);
    expect((await other.get(url)).statusCode).toBe(200);
    // A disabled agent's avatar is gone.
    await owner.patch(`/api/users/${agent.actor.userId}`, { disabled: true });
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(404);
  });
});
