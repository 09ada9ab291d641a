import { setTimeout as sleep } from 'node:timers/promises';

export class TimeLimitError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} took longer than ${ms} ms`);
    this.name = 'TimeLimitError';
  }
}

/** `work`'s result, or a TimeLimitError after `ms` (the work itself is not cancelled; its late result is ignored). */
export async function withinTimeLimit<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  const timeout = new AbortController();
  try {
    return await Promise.race([
      work,
      sleep(ms, undefined, { signal: timeout.signal }).then(() => {
        throw new TimeLimitError(what, ms);
      }),
    ]);
  } finally {
    timeout.abort();
  }
}
