import { createWriteStream } from 'node:fs';
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';

/** The writes a store makes to disk: the seam where a test puts a disk that is full. */
export interface StorageFiles {
  writeFile(file: string, bytes: Uint8Array): Promise<void>;
  createWriteStream(file: string): Writable;
}

export const diskFiles: StorageFiles = {
  writeFile: (file, bytes) => writeFile(file, bytes),
  createWriteStream: (file) => createWriteStream(file),
};

/** How a file still being written is named, beside or before its final place. */
export const partialSuffix = '.partial';

/**
 * A partial file untouched this long has no writer left (a process that crashed mid-write): a live download is
 * written to at least every two minutes or times out (download-output's body timeout).
 */
export const partialLifetimeMs = 15 * 60_000;

/** Removes a partial file; one that cannot be removed now (a failing disk) is left to the sweep. */
export async function discard(file: string): Promise<void> {
  await rm(file, { force: true }).catch(() => {});
}

/** Removes the partial files in `directory` that nothing has written to for `partialLifetimeMs`; answers how many. */
export async function removeStalePartials(directory: string, now: number): Promise<number> {
  const names = await readdir(directory).catch(() => [] as string[]);
  const partials = names.filter((name) => name.endsWith(partialSuffix)).map((name) => path.join(directory, name));
  const modified = await Promise.all(
    partials.map((file) =>
      stat(file).then(
        (info) => info.mtimeMs,
        () => now,
      ),
    ),
  );
  const stale = partials.filter((_, index) => now - modified[index]! > partialLifetimeMs);
  await Promise.all(stale.map(discard));
  return stale.length;
}
