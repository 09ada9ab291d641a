import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayError } from '../errors/gateway-error.ts';

/** errno codes by which a disk refuses a write: full, over quota, file too big, read-only, failing, not writable, out of descriptors. */
const storageErrnoCodes = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS', 'EIO', 'EACCES', 'EPERM', 'EMFILE', 'ENFILE']);

/** Seconds a client should wait before trying again: freeing a disk is an operator's job, not a blip. */
const storageRetryAfterSeconds = 30;

/**
 * The pauses between quick attempts at a refused write: space a sweep or another process frees in that time is used;
 * a disk still full after them fails the write, so a generation ends in well under a second rather than after the
 * job's minutes of backoff.
 */
export const storageRetryDelaysMs = [50, 250];

/** Whether an error is the disk refusing a file (not a bug, not bad input). */
export function isStorageFailure(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof GatewayError) return false;
  const { code } = error as NodeJS.ErrnoException;
  return code !== undefined && storageErrnoCodes.has(code);
}

/** Not retryable for the worker: its backoff would only hold the generation for minutes on a disk that stays full. */
export function storageUnavailable(cause: unknown): GatewayError {
  return new GatewayError('STORAGE_UNAVAILABLE', "The gateway's storage cannot keep files right now (full or failing); nothing was kept.", {
    headers: { 'Retry-After': String(storageRetryAfterSeconds) },
    cause,
  });
}

/** The error as a storage failure when the disk refused, else as it was. */
export const asStorageError = (error: unknown) => (isStorageFailure(error) ? storageUnavailable(error) : error);

/**
 * Runs `write`, which must leave nothing behind when it fails, again after each of `storageRetryDelaysMs` while the
 * disk refuses it; then fails with STORAGE_UNAVAILABLE.
 */
export async function withStorageRetries<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const delayMs = storageRetryDelaysMs[attempt];
      if (!isStorageFailure(error) || delayMs === undefined) throw asStorageError(error);
      await sleep(delayMs);
    }
  }
}
