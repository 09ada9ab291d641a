import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import type { OutputStore } from './output-store.ts';
import { asStorageError, withStorageRetries } from './storage-failures.ts';
import { discard, diskFiles, partialLifetimeMs, partialSuffix, removeStalePartials, type StorageFiles } from './storage-files.ts';

/** The URL path the HTTP server serves `root` under. */
export const filesRoutePrefix = '/files/';

/**
 * Writes outputs under `root`; the API serves them at `${publicUrl()}/files/<key>`. A write the disk refuses fails
 * with STORAGE_UNAVAILABLE and leaves no partial file behind.
 */
export class LocalDiskStore implements OutputStore {
  /** Beside the served root (same disk, so a finished download is renamed into place, not copied). */
  private readonly incoming: string;
  private incomingExists = false;
  private lastSweep = 0;

  constructor(
    readonly root: string,
    private readonly publicUrl: () => Promise<string>,
    private readonly files: StorageFiles = diskFiles,
  ) {
    this.incoming = path.join(path.dirname(root), 'incoming');
  }

  private async targetFor(key: string): Promise<string> {
    const target = path.join(this.root, ...key.split('/'));
    if (!target.startsWith(this.root + path.sep)) throw new Error(`storage key escapes the store: ${key}`);
    await mkdir(path.dirname(target), { recursive: true });
    return target;
  }

  async put(key: string, bytes: Uint8Array): Promise<string> {
    // Write then rename, so a reader never sees half a file and a job that runs twice just replaces it.
    return withStorageRetries(async () => {
      const partial = this.partialPath();
      try {
        await this.files.writeFile(partial, bytes);
        await this.moveIntoPlace(key, partial);
      } catch (error) {
        await discard(partial);
        throw error;
      }
      return this.urlOf(key);
    });
  }

  incomingPath(): string {
    try {
      return this.partialPath();
    } catch (error) {
      throw asStorageError(error);
    }
  }

  async putFile(key: string, file: string, _contentType?: string): Promise<string> {
    try {
      await this.moveIntoPlace(key, file);
    } catch (error) {
      await discard(file);
      throw asStorageError(error);
    }
    return this.urlOf(key);
  }

  /** Removes what crashed writers left in `incoming/`; also run now and then as the store is used. */
  sweepPartials(): Promise<number> {
    this.lastSweep = Date.now();
    return removeStalePartials(this.incoming, this.lastSweep);
  }

  private partialPath(): string {
    // Made once, not on every output: this runs in the worker's loop.
    if (!this.incomingExists) mkdirSync(this.incoming, { recursive: true });
    this.incomingExists = true;
    if (Date.now() - this.lastSweep > partialLifetimeMs) void this.sweepPartials();
    return path.join(this.incoming, `${process.pid}-${randomUUID()}${partialSuffix}`);
  }

  private async moveIntoPlace(key: string, file: string): Promise<void> {
    await rename(file, await this.targetFor(key));
  }

  private async urlOf(key: string): Promise<string> {
    return `${await this.publicUrl()}${filesRoutePrefix}${key}`;
  }
}
