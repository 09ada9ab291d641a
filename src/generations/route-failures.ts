import { GatewayError } from '../errors/gateway-error.ts';
import type { Generation, GenerationFailure } from './generation.ts';

/** Failures another route could fix: the upstream down or out of retries, an upstream internal error; never bad input or moderation. */
export const isFixable = (failure: Pick<GenerationFailure, 'code' | 'retryable'>) => failure.code === 'PROVIDER_UNAVAILABLE' || (failure.code === 'GENERATION_FAILED' && failure.retryable);

/** What a step threw, as a GatewayError: anything else is an internal fault, worth another try. */
export function asGatewayError(error: unknown): GatewayError {
  return error instanceof GatewayError ? error : new GatewayError('INTERNAL', 'internal error while running the generation', { retryable: true, cause: error });
}

/** A step's error as the generation records it: its code as thrown, and the input field it names. */
export function failureOf(error: GatewayError): GenerationFailure {
  const { field } = error.details;
  return { code: error.code, message: error.message, retryable: error.retryable, ...(typeof field === 'string' ? { field } : {}) };
}

/** A route skipped because its circuit is open: fixable, so the generation moves on to its fallback. */
export function circuitOpenFailure(generation: Pick<Generation, 'provider' | 'route'>): GenerationFailure {
  return {
    code: 'PROVIDER_UNAVAILABLE',
    message: `route ${generation.route} of ${generation.provider} is failing (circuit open); try again later or allow a fallback`,
    retryable: true,
  };
}
