import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { paletteFor } from '../src/media/palette.ts';
import { renderPng } from '../src/media/render-media.ts';
import { createRedis, type Redis } from '../src/redis/redis-client.ts';
import { redisKeys } from '../src/redis/redis-keys.ts';
import { randomToken } from '../src/shared/ids.ts';
import { UploadStore } from '../src/uploads/upload-store.ts';

/** The upload store on a real Redis and a real directory, with limits small enough to cross. */
describe('the upload store', () => {
  let redis: Redis;
  let directory: string;
  let store: UploadStore;
  const png = Buffer.from(renderPng(48, 48, paletteFor('limits', 1)));

  beforeAll(async () => {
    redis = createRedis(inject('redisUrl'));
    directory = await mkdtemp(path.join(os.tmpdir(), 'genway-uploads-'));
    const limits = { maxBytes: png.length + 10, formLifetimeMs: 60_000, fileLifetimeMs: 60_000 };
    store = new UploadStore(redis, redisKeys(`t${randomToken(10)}`), directory, async () => 'http://gateway.test', limits);
  });
  afterAll(async () => {
    redis.disconnect();
    await rm(directory, { recursive: true, force: true });
  });

  it('refuses a file over the limit with PAYLOAD_TOO_LARGE and keeps nothing of it', async () => {
    const { id, token } = await store.begin('acct_a', 'big.png');
    const tooBig = Buffer.concat([png, Buffer.alloc(64)]);
    await expect(store.receive(id, token, Readable.from([tooBig.subarray(0, 40), tooBig.subarray(40)]))).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { field: 'file' } });
    expect(await readdir(directory)).toEqual([]);
    expect(await store.find('acct_a', id)).toBeNull();
  });

  it('keeps a file within the limit for its account only, and serves it by link only with the link token', async () => {
    const { id, token } = await store.begin('acct_a', 'small.png');
    expect(await store.receive(id, token, Readable.from([png]))).toMatchObject({ id, accountId: 'acct_a', contentType: 'image/png', bytes: png.length });
    expect(await store.find('acct_b', id)).toBeNull();
    const link = await store.linkFor(id);
    const linkToken = link.split('/').pop()!;
    expect(await store.open(id, linkToken)).toMatchObject({ contentType: 'image/png', bytes: png.length });
    expect(await store.open(id, 'x'.repeat(linkToken.length))).toBeNull();
  });
});
