import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger.ts';
import { createSandboxClient } from '../../src/providers/sandbox/sandbox-client.ts';
import type { ConnectorContext, SubmitRequest } from '../../src/providers/spec.ts';

const context: ConnectorContext = {
  now: () => Date.now(),
  log: createLogger('silent'),
  readMedia: () => Promise.reject(new Error('the sandbox reads no inputs')),
};

const sandbox = createSandboxClient({ latencyMs: 0 });

/** Makes `count` 1024×1024 sandbox images as a busy worker does (several polls in flight), dropping each output. */
async function renderImages(count: number, inFlight = 4) {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        const index = next++;
        const request: SubmitRequest = {
          generationId: `gen_memory_${index}`,
          model: 'sandbox-1',
          attempt: 0,
          type: 'IMAGE',
          input: { text: `memory ${index}` },
          options: { aspectRatio: '1024:1024', seed: index },
        };
        const result = await sandbox.poll(await sandbox.submit(request, context), context, request);
        expect(result.status).toBe('completed');
      }
    }),
  );
}

async function rssMegabytes() {
  const status = await readFile('/proc/self/status', 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

describe('hardening #3: worker memory under sandbox load', () => {
  it('keeps resident memory growth under 1 MB per 1024×1024 image once the render thread is warm', async () => {
    // The first renders start the thread and size its allocator; what counts is what each later image leaves behind.
    await renderImages(16);
    const before = await rssMegabytes();
    const images = 64;
    await renderImages(images);
    const growth = (await rssMegabytes()) - before;
    // Each image's pixels are 4 MB: keeping them (as the render thread did) grows by about that much per image.
    expect(growth / images).toBeLessThan(1);
  });
});
