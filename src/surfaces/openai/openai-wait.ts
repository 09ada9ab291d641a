import type { Principal } from '../../billing/account-repository.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { GenerateRequest } from '../../generations/generate-request.ts';
import type { Generation } from '../../generations/generation.ts';
import type { CreatedGeneration, GenerationService } from '../../generations/generation-service.ts';
import { awaitGenerationEnd, type WatchDependencies } from '../../realtime/generation-events.ts';
import { failureError } from './openai-errors.ts';

export interface HeldGenerationDependencies {
  service: Pick<GenerationService, 'create' | 'get' | 'cancel'>;
  events: WatchDependencies['hub'];
}

/**
 * Creates the generation and holds the answer until it ends, as OpenAI's images and speech endpoints answer with
 * the result. Past `waitMs` the generation is cancelled (its credits come back if it had not started), so a
 * client's retry does not leave a second one running unseen.
 */
export async function generateAndWait(dependencies: HeldGenerationDependencies, caller: Principal, request: GenerateRequest, waitMs: number, signal: AbortSignal): Promise<CreatedGeneration> {
  const { service, events } = dependencies;
  const created = await service.create(caller, request);
  const read = (id: string) => service.get(caller, id);
  const ended: Generation = await awaitGenerationEnd({ hub: events, read }, caller.accountId, created.generation.id, waitMs, signal);
  if (ended.status === 'COMPLETED') return { ...created, generation: ended };
  if (ended.status === 'FAILED' || ended.status === 'CANCELLED') throw failureError(ended.error);
  await service.cancel(caller, ended.id).catch(() => false);
  throw new GatewayError('GENERATION_FAILED', `The generation did not finish within ${Math.round(waitMs / 1000)} s and was cancelled`, {
    retryable: true,
    details: { openaiCode: 'timeout', generationId: ended.id },
  });
}

/** Aborts when the client hangs up, so a held request stops watching. */
export function abortOnClose(raw: { once(event: 'close', listener: () => void): unknown }): AbortSignal {
  const controller = new AbortController();
  raw.once('close', () => controller.abort());
  return controller.signal;
}
