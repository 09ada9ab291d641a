import { mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { paletteFor } from '../../src/media/palette.ts';
import { renderPng } from '../../src/media/render-media.ts';
import { downloadOutput } from '../../src/storage/download-output.ts';
import { storageRetryDelaysMs } from '../../src/storage/storage-failures.ts';
import { diskFiles, partialLifetimeMs, type StorageFiles } from '../../src/storage/storage-files.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

/** The error Node gives when the disk is full, as libuv reports it. */
const noSpace = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { errno: -28, code: 'ENOSPC', syscall: 'write' });

/**
 * A disk that fills up: while `full`, every write creates its file and puts a few bytes in it, as a real full disk
 * does, then fails with ENOSPC. No mount is needed, so it runs anywhere; `writes` counts the attempts.
 */
class FillingDisk implements StorageFiles {
  full = true;
  writes = 0;

  async writeFile(file: string, bytes: Uint8Array): Promise<void> {
    this.writes++;
    if (!this.full) return diskFiles.writeFile(file, bytes);
    await writeFile(file, bytes.subarray(0, 16));
    throw noSpace();
  }

  createWriteStream(file: string): Writable {
    this.writes++;
    if (!this.full) return diskFiles.createWriteStream(file);
    return new Writable({
      write(chunk: Buffer, _encoding, callback) {
        writeFile(file, chunk.subarray(0, 16), { flag: 'a' }).then(() => callback(noSpace()), callback);
      },
    });
  }
}

const png = Buffer.from(renderPng(64, 64, paletteFor('full disk', 1)));
const runwayHeaders = (key: string) => ({ authorization: `Bearer ${key}`, 'x-runway-version': '2024-11-06' });

/** A multipart upload form body: the token field, then the file. */
function uploadForm(token: string, file: Buffer): { headers: Record<string, string>; payload: Buffer } {
  const boundary = 'fulldiskboundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="token"\r\n\r\n${token}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="frame.png"\r\nContent-Type: image/png\r\n\r\n`;
  return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${boundary}--\r\n`)]) };
}

describe('hardening #6: a full disk', () => {
  let harness: TestGateway;
  const disk = new FillingDisk();
  const partialsIn = async (directory: string) => (await readdir(directory).catch(() => [] as string[])).filter((name) => name.endsWith('.partial'));

  beforeAll(async () => {
    harness = await startTestGateway({}, { files: disk });
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    disk.full = true;
    disk.writes = 0;
  });

  async function beginUpload(key: string): Promise<{ url: string; token: string }> {
    const response = await harness.app.inject({ method: 'POST', url: '/runway/v1/uploads', headers: runwayHeaders(key), payload: { filename: 'frame.png', type: 'ephemeral' } });
    const { uploadUrl, fields } = response.json();
    return { url: new URL(uploadUrl).pathname, token: fields.token };
  }

  it('an output the store cannot write fails the generation with STORAGE_UNAVAILABLE, refunded, after a bounded number of quick attempts', async () => {
    const account = await harness.createAccount({ credits: 10 });
    const generation = await harness.runGeneration(account.liveKey, { type: 'IMAGE', provider: 'sandbox', input: { text: 'onto a full disk' } });
    expect(generation.status).toBe('FAILED');
    expect(generation.error?.code).toBe('STORAGE_UNAVAILABLE');
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(10);
    expect(disk.writes).toBe(storageRetryDelaysMs.length + 1);
    expect((await harness.gateway.generationQueue.queue.getJob(generation.id))!.attemptsMade).toBe(1);
  });

  it('an output write the disk refused leaves no partial file in incoming/', async () => {
    const account = await harness.createAccount();
    const generation = await harness.runGeneration(account.testKey, { type: 'IMAGE', provider: 'sandbox', input: { text: 'half a file' } });
    expect(generation.error?.code).toBe('STORAGE_UNAVAILABLE');
    expect(await partialsIn(path.join(harness.config.DATA_DIR, 'incoming'))).toEqual([]);
  });

  it('an upload onto a full disk answers 503 STORAGE_UNAVAILABLE as a JSON body, keeping no partial file', async () => {
    const account = await harness.createAccount();
    const form = await beginUpload(account.testKey);
    const response = await harness.app.inject({ method: 'POST', url: form.url, ...uploadForm(form.token, png) });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json().code).toBe('STORAGE_UNAVAILABLE');
    expect(await partialsIn(path.join(harness.config.DATA_DIR, 'uploads'))).toEqual([]);
  });

  it('once space is freed, the same upload form takes the file', async () => {
    const account = await harness.createAccount();
    const form = await beginUpload(account.testKey);
    expect((await harness.app.inject({ method: 'POST', url: form.url, ...uploadForm(form.token, png) })).statusCode).toBe(503);
    disk.full = false;
    const retried = await harness.app.inject({ method: 'POST', url: form.url, ...uploadForm(form.token, png) });
    expect(retried.statusCode).toBe(201);
    expect(retried.json()).toMatchObject({ contentType: 'image/png', bytes: png.length });
  });

  describe('partial files', () => {
    let dataDir: string;

    beforeAll(async () => {
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'genway-full-disk-'));
    });
    afterAll(() => rm(dataDir, { recursive: true, force: true }));

    it('what a crash left half written in incoming/ and uploads/ is swept at start, and a file still being written is kept', async () => {
      const incoming = path.join(dataDir, 'incoming');
      const uploads = path.join(dataDir, 'uploads');
      await Promise.all([mkdir(incoming, { recursive: true }), mkdir(uploads, { recursive: true })]);
      const crashedAt = new Date(Date.now() - 2 * partialLifetimeMs);
      for (const file of [path.join(incoming, '4242-crashed.partial'), path.join(uploads, 'upl_crashedupload000000.partial')]) {
        await writeFile(file, Buffer.alloc(1024));
        await utimes(file, crashedAt, crashedAt);
      }
      await writeFile(path.join(incoming, '4343-writing.partial'), Buffer.alloc(1024));
      const harness = await startTestGateway({ DATA_DIR: dataDir }, { worker: false });
      try {
        expect(await readdir(incoming)).toEqual(['4343-writing.partial']);
        expect(await readdir(uploads)).toEqual([]);
      } finally {
        await harness.close();
      }
    });

    it('a large output streamed onto a disk that refuses it fails with STORAGE_UNAVAILABLE and leaves no file', async () => {
      // The kernel's own ENOSPC: /dev/full refuses every write; the spill path is a link to it, removed like a partial.
      const spillPath = path.join(dataDir, 'spill.partial');
      await symlink('/dev/full', spillPath);
      const video = Buffer.alloc(256 * 1024, 1);
      const server: Server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'video/mp4' }).end(video));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/output.mp4`;
        await expect(downloadOutput(url, { maxBytes: video.length }, spillPath, 1024)).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
        expect(await readdir(dataDir)).not.toContain('spill.partial');
      } finally {
        server.close();
      }
    });
  });
});
