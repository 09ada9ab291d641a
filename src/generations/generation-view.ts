import type { Generation } from './generation.ts';

/** The public face of a generation: internals (account, operation, reservation) stay out. */
export function generationView(generation: Generation) {
  return {
    id: generation.id,
    status: generation.status,
    type: generation.type,
    provider: generation.provider,
    model: generation.model,
    route: generation.route,
    // Every route tried, oldest first: the ones that failed, then the one it is on now.
    attempts: [
      ...generation.attempts.map((attempt) => ({ ...attempt, status: 'FAILED', at: new Date(attempt.at) })),
      {
        provider: generation.provider,
        route: generation.route,
        status: generation.status,
        code: generation.error?.code ?? null,
        message: generation.error?.message ?? null,
        at: new Date(generation.startedAt ?? generation.createdAt),
      },
    ],
    url: generation.outputs[0] ?? null,
    outputs: generation.outputs,
    progress: generation.progress,
    metadata: generation.metadata,
    creditCost: generation.creditCost,
    estimatedTime: generation.estimatedTime,
    error: generation.error,
    errorCode: generation.error?.code ?? null,
    testMode: generation.mode === 'test',
    webhookUrl: generation.webhookUrl,
    createdAt: new Date(generation.createdAt),
    updatedAt: new Date(generation.updatedAt),
    startedAt: generation.startedAt === null ? null : new Date(generation.startedAt),
    completedAt: generation.completedAt === null ? null : new Date(generation.completedAt),
  };
}

export type GenerationView = ReturnType<typeof generationView>;
