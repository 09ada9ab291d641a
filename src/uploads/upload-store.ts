import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromFile } from 'file-type';
import type { Redis } from 'ioredis';
import { GatewayError } from '../errors/gateway-error.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { randomToken } from '../shared/ids.ts';
import { asStorageError } from '../storage/storage-failures.ts';
import { discard, diskFiles, partialSuffix, removeStalePartials, type StorageFiles } from '../storage/storage-files.ts';

export interface Upload {
  id: string;
  accountId: string;
  filename: string;
  contentType: string;
  bytes: number;
  createdAt: number;
  expiresAt: number;
}

export interface UploadLimits {
  maxBytes: number;
  /** How long an upload form may wait for its file. */
  formLifetimeMs: number;
  /** How long an uploaded file can be used (Runway's uploads are ephemeral). */
  fileLifetimeMs: number;
}

export const defaultUploadLimits: UploadLimits = { maxBytes: 200 * 1024 * 1024, formLifetimeMs: 60 * 60_000, fileLifetimeMs: 24 * 60 * 60_000 };

const mediaKinds = ['image/', 'video/', 'audio/'];

/** How often starting an upload also deletes expired files. */
const sweepIntervalMs = 60 * 60_000;

/** Where `linkFor`'s links are served. */
export const uploadLinkPrefix = '/uploads/';

/** Ephemeral uploads: a form is handed out for one file, the file lands on local disk, and only its account can use it. */
export class UploadStore {
  private lastSweep = 0;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly directory: string,
    /** Where this gateway is reached, for the links upstreams fetch uploads from. */
    private readonly publicUrl: () => Promise<string>,
    private readonly limits: UploadLimits = defaultUploadLimits,
    private readonly now: () => number = Date.now,
    private readonly files: StorageFiles = diskFiles,
  ) {}

  /**
   * A new upload waiting for its file: the token is the form's one credential. The link token, kept with the file,
   * lets an upstream that fetches URLs download it (see `linkFor`).
   */
  async begin(accountId: string, filename: string): Promise<{ id: string; token: string }> {
    const id = `upl_${randomToken(20)}`;
    const token = randomToken(32);
    const key = this.keys.upload(id);
    const record = { accountId, filename, token, linkToken: randomToken(32), state: 'pending', createdAt: this.now() };
    await this.redis.multi().hset(key, record).pexpire(key, this.limits.formLifetimeMs).exec();
    if (this.now() - this.lastSweep > sweepIntervalMs) {
      this.lastSweep = this.now();
      this.sweep().catch(() => {});
      void this.sweepPartials();
    }
    return { id, token };
  }

  /** Deletes the files whose uploads have expired (their records are gone); a file still being received is kept. */
  async sweep(): Promise<number> {
    const names = await readdir(this.directory).catch(() => [] as string[]);
    const ids = names.filter((name) => !name.endsWith(partialSuffix));
    if (ids.length === 0) return 0;
    const exists = await Promise.all(ids.map((id) => this.redis.exists(this.keys.upload(id))));
    const expired = ids.filter((_, index) => exists[index] === 0);
    await Promise.all(expired.map((id) => rm(this.pathOf(id), { force: true })));
    return expired.length;
  }

  /** Deletes what uploads cut off by a crash left half written (disk only, so it also runs at start). */
  sweepPartials(): Promise<number> {
    // Against the files' own times, so the wall clock, not the injected one.
    return removeStalePartials(this.directory, Date.now());
  }

  /** A URL an upstream can download the upload from while it lasts: unguessable, and only for this file. */
  async linkFor(id: string): Promise<string> {
    const linkToken = await this.redis.hget(this.keys.upload(id), 'linkToken');
    if (!linkToken) throw new GatewayError('INVALID_INPUT', `the upload ${id} has expired`);
    return `${await this.publicUrl()}${uploadLinkPrefix}${id}/${linkToken}`;
  }

  /** The file a link names, or null when the link is wrong or the upload gone. */
  async open(id: string, linkToken: string): Promise<{ path: string; contentType: string; bytes: number } | null> {
    const record = await this.redis.hgetall(this.keys.upload(id));
    if (record.state !== 'ready' || record.linkToken !== linkToken) return null;
    return { path: this.pathOf(id), contentType: record.contentType!, bytes: Number(record.bytes) };
  }

  /**
   * Takes the form's file once: checks the token, streams it to disk within the size limit, and keeps it if it is
   * media. A disk that refuses it fails with STORAGE_UNAVAILABLE, keeping nothing, and the form can be posted again.
   */
  async receive(id: string, token: string, file: Readable): Promise<Upload> {
    const key = this.keys.upload(id);
    const record = await this.redis.hgetall(key);
    if (record.state !== 'pending' || record.token !== token) {
      // Read to its end and dropped; a body that breaks off meanwhile is nobody's concern (unheard, it would crash the process).
      file.on('error', () => {}).resume();
      throw new GatewayError('FORBIDDEN', 'this upload form is unknown, expired or already used');
    }
    const target = this.pathOf(id);
    const partial = `${target}${partialSuffix}`;
    try {
      await mkdir(this.directory, { recursive: true });
      await pipeline(file, limitBytes(this.limits.maxBytes), this.files.createWriteStream(partial));
      const detected = await fileTypeFromFile(partial);
      if (!detected || !mediaKinds.some((kind) => detected.mime.startsWith(kind))) {
        throw new GatewayError('INVALID_INPUT', 'file: must be an image, a video or an audio file', { details: { field: 'file' } });
      }
      await rename(partial, target);
      const upload: Upload = {
        id,
        accountId: record.accountId!,
        filename: record.filename!,
        contentType: detected.mime,
        bytes: (await stat(target)).size,
        createdAt: Number(record.createdAt),
        expiresAt: this.now() + this.limits.fileLifetimeMs,
      };
      const { token: _used, ...kept } = record;
      await this.redis
        .multi()
        .del(key)
        .hset(key, { ...kept, ...upload, state: 'ready' })
        .pexpire(key, this.limits.fileLifetimeMs)
        .exec();
      return upload;
    } catch (error) {
      throw asStorageError(error);
    } finally {
      await discard(partial);
    }
  }

  /** The account's upload, or null: another account's upload is indistinguishable from a missing one. */
  async find(accountId: string, id: string): Promise<Upload | null> {
    const record = await this.redis.hgetall(this.keys.upload(id));
    if (record.state !== 'ready' || record.accountId !== accountId) return null;
    return {
      id,
      accountId,
      filename: record.filename!,
      contentType: record.contentType!,
      bytes: Number(record.bytes),
      createdAt: Number(record.createdAt),
      expiresAt: Number(record.expiresAt),
    };
  }

  /** An upload's bytes, for the workers that hand media to an upstream. */
  async read(id: string): Promise<{ bytes: Uint8Array; mimeType: string; filename: string }> {
    const record = await this.redis.hgetall(this.keys.upload(id));
    if (record.state !== 'ready') throw new GatewayError('INVALID_INPUT', `the upload ${id} has expired`);
    const bytes = await readFile(this.pathOf(id)).catch((error: unknown) => {
      throw asStorageError(error);
    });
    return { bytes, mimeType: record.contentType!, filename: record.filename! };
  }

  private pathOf(id: string): string {
    return path.join(this.directory, id);
  }
}

/** Passes bytes through until there are more than `maxBytes`, then fails with 413. */
function limitBytes(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(new GatewayError('PAYLOAD_TOO_LARGE', `file: uploads are limited to ${maxBytes / 1024 / 1024} MB`, { details: { field: 'file' } }));
      else callback(null, chunk);
    },
  });
}
