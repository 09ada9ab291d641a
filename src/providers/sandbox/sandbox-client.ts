import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import { paletteFor } from '../../media/palette.ts';
import { renderOffThread } from '../../media/render-pool.ts';
import type { Connector, PollResult } from '../spec.ts';
import { outputShapeOf } from './output-shape.ts';

/** Words in the prompt that force an outcome, so clients can test their failure handling. */
export const magicWords = {
  fail: '[sandbox:fail]',
  moderation: '[sandbox:moderation]',
  unavailable: '[sandbox:unavailable]',
  slow: '[sandbox:slow]',
  /** The first route a generation tries is down, so a fallback (with `fallback: ANY`) can be tried offline. */
  down: '[sandbox:down]',
  flaky: '[sandbox:flaky]',
} as const;

const sandboxOperationSchema = z.object({
  startedAt: z.number(),
  latencyMs: z.number(),
  outcome: z.enum(['succeed', 'fail', 'moderation', 'flaky']),
  shape: z.object({ kind: z.enum(['image', 'video', 'audio']), width: z.number(), height: z.number(), seconds: z.number() }),
  prompt: z.string(),
  seed: z.number(),
});
type SandboxOperation = z.infer<typeof sandboxOperationSchema>;
type Outcome = SandboxOperation['outcome'];

export function createSandboxClient(settings: { latencyMs: number }): Connector<SandboxOperation> {
  return {
    operationSchema: sandboxOperationSchema,

    async submit(request, context) {
      const prompt = request.input.text ?? '';
      if (prompt.includes(magicWords.down) && request.attempt === 0) {
        throw new GatewayError('PROVIDER_UNAVAILABLE', 'the sandbox was asked to be down on the first route', { retryable: false });
      }
      if (prompt.includes(magicWords.unavailable)) {
        throw new GatewayError('PROVIDER_UNAVAILABLE', 'the sandbox was asked to be unavailable', { retryable: false });
      }
      return {
        startedAt: context.now(),
        latencyMs: prompt.includes(magicWords.slow) ? settings.latencyMs * 10 : settings.latencyMs,
        outcome: outcomeOf(prompt),
        shape: outputShapeOf(request),
        prompt,
        seed: typeof request.options.seed === 'number' ? request.options.seed : 0,
      };
    },

    async poll(task, context): Promise<PollResult> {
      if (task.outcome === 'moderation') return { status: 'failed', code: 'CONTENT_MODERATION', message: 'the prompt was flagged by content moderation (sandbox)', retryable: false };
      const elapsed = context.now() - task.startedAt;
      if (task.outcome === 'flaky' && elapsed < task.latencyMs / 2) {
        throw new GatewayError('PROVIDER_UNAVAILABLE', 'the sandbox answered 503 (asked to be flaky)', { retryable: true });
      }
      if (elapsed < task.latencyMs) return { status: 'pending', progress: Math.min(0.99, elapsed / task.latencyMs), started: true };
      if (task.outcome === 'fail') return { status: 'failed', code: 'GENERATION_FAILED', message: 'the sandbox was asked to fail', retryable: false };
      return { status: 'completed', outputs: [await render(task)] };
    },

    async cancel() {},
  };
}

function outcomeOf(prompt: string): Outcome {
  if (prompt.includes(magicWords.moderation)) return 'moderation';
  if (prompt.includes(magicWords.fail)) return 'fail';
  return prompt.includes(magicWords.flaky) ? 'flaky' : 'succeed';
}

const contentTypes = { image: 'image/png', audio: 'audio/wav', video: 'video/mp4' } as const;

async function render({ shape, prompt, seed }: SandboxOperation) {
  const bytes = await renderOffThread({ ...shape, palette: paletteFor(prompt, seed) });
  return { bytes, contentType: contentTypes[shape.kind] };
}
