/**
 * s3rver, an S3 emulator for tests (the real S3 is a cloud service): one on 127.0.0.1 with the
 * bucket `kefu-backups`, storing into a folder of its own that `close` removes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export type S3Emulator = { endpoint: string; bucket: string; close(): Promise<void> };

export async function startS3rver(): Promise<S3Emulator> {
  const directory = mkdtempSync(join(tmpdir(), 'kefu-s3rver-'));
  const bucket = 'kefu-backups';
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = (await server.run()) as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
