import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutputStore } from './output-store.ts';

/** The URL path the HTTP server serves `root` under. */
export const filesRoutePrefix = '/files/';

/** Writes outputs under `root`; the API serves them at `${publicUrl()}/files/<key>`. */
export class LocalDiskStore implements OutputStore {
  constructor(
    readonly root: string,
    private readonly publicUrl: () => Promise<string>,
  ) {}

  async put(key: string, bytes: Uint8Array): Promise<string> {
    const target = path.join(this.root, ...key.split('/'));
    if (!target.startsWith(this.root + path.sep)) throw new Error(`storage key escapes the store: ${key}`);
    await mkdir(path.dirname(target), { recursive: true });
    // Write then rename, so a reader never sees half a file and a job that runs twice just replaces it.
    const partial = `${target}.${process.pid}.partial`;
    await writeFile(partial, bytes);
    await rename(partial, target);
    return `${await this.publicUrl()}${filesRoutePrefix}${key}`;
  }
}
