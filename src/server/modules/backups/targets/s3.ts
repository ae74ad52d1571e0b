/**
 * An S3-compatible store (AWS S3, MinIO, Aliyun OSS, Tencent COS …): endpoint, region, bucket,
 * prefix, path-style addressing. A PUT is atomic in S3 (an object appears whole or not at all),
 * which is all the "manifest last" protocol needs.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { checkName, TargetError, type Target } from './types.ts';

export type S3Options = {
  endpoint?: string;
  region: string;
  bucket: string;
  prefix: string;
  pathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
};

export function s3Target(o: S3Options): Target {
  const client = new S3Client({
    region: o.region,
    endpoint: o.endpoint,
    forcePathStyle: o.pathStyle,
    credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey },
    maxAttempts: 3,
  });
  const base = o.prefix.replace(/^\/+|\/+$/g, '');
  const key = (name: string) => (base ? `${base}/${checkName(name)}` : checkName(name));
  const where = `s3://${o.bucket}/${base}${o.endpoint ? ` at ${o.endpoint}` : ''}`;
  const fail = (what: string, err: unknown): never => {
    throw new TargetError(`${where}: ${what}: ${(err as Error).name}: ${(err as Error).message}`);
  };
  return {
    describe: where,
    async put(name, data) {
      await client
        .send(new PutObjectCommand({ Bucket: o.bucket, Key: key(name), Body: data }))
        .catch((err: unknown) => fail(`cannot write ${name}`, err));
    },
    async get(name) {
      try {
        const r = await client.send(new GetObjectCommand({ Bucket: o.bucket, Key: key(name) }));
        return Buffer.from(await r.Body!.transformToByteArray());
      } catch (err) {
        if (
          (err as Error).name === 'NoSuchKey' ||
          (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
        )
          return null;
        return fail(`cannot read ${name}`, err);
      }
    },
    async list(prefix) {
      const out: string[] = [];
      let token: string | undefined;
      const full = base ? `${base}/${prefix}` : prefix;
      do {
        const r = await client
          .send(new ListObjectsV2Command({ Bucket: o.bucket, Prefix: full, ContinuationToken: token }))
          .catch((err: unknown) => fail('cannot list', err));
        for (const obj of r.Contents ?? []) if (obj.Key) out.push(base ? obj.Key.slice(base.length + 1) : obj.Key);
        token = r.IsTruncated ? r.NextContinuationToken : undefined;
      } while (token);
      return out.sort();
    },
    async remove(name) {
      await client
        .send(new DeleteObjectCommand({ Bucket: o.bucket, Key: key(name) }))
        .catch((err: unknown) => fail(`cannot delete ${name}`, err));
    },
    async close() {
      client.destroy();
    },
  };
}
