import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutputStore } from './output-store.ts';

/** The URL path the HTTP server serves `root` under. */
export const filesRoutePrefix = '/files/';

/** Writes outputs under `root`; the API serves them at `${publicUrl()}/files/<key>`. */
export class LocalDiskStore implements OutputStore {
  /** Beside the served root (same disk, so a finished download is renamed into place, not copied). */
  private readonly incoming: string;
  private incomingExists = false;

  constructor(
    readonly root: string,
    private readonly publicUrl: () => Promise<string>,
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
    const partial = this.incomingPath();
    await writeFile(partial, bytes);
    return this.putFile(key, partial);
  }

  incomingPath(): string {
    // Made once, not on every output: this runs in the worker's loop.
    if (!this.incomingExists) mkdirSync(this.incoming, { recursive: true });
    this.incomingExists = true;
    return path.join(this.incoming, `${process.pid}-${randomUUID()}.partial`);
  }

  async putFile(key: string, file: string, _contentType?: string): Promise<string> {
    await rename(file, await this.targetFor(key));
    return `${await this.publicUrl()}${filesRoutePrefix}${key}`;
  }
}
