import type { Generation } from '../../generations/generation.ts';

/** fal's queue host, whose URLs a proxied client follows back through this proxy. */
export const falQueueOrigin = 'https://queue.fal.run';

/** fal's request URLs for a request of `app` (an endpoint's owner and alias, as fal's own answers name it). */
export function falRequestUrls(app: string, requestId: string) {
  const base = `${falQueueOrigin}/${app}/requests/${requestId}`;
  return { request_id: requestId, response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel` };
}

/** The endpoint id's app: its owner and alias, the first two segments. */
export const appOf = (endpointId: string) => endpointId.split('/').slice(0, 2).join('/');

const statusMessages: Record<Generation['status'], string> = {
  QUEUED: 'Request queued',
  PROCESSING: 'Generating',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
  CANCELLED: 'Cancelled',
};

/** A log line per step the generation has reached, as fal's `logs` (when the client asks with `logs=1`). */
function logsOf(generation: Generation) {
  const line = (message: string, at: number) => ({ message, level: 'INFO', source: 'USER', timestamp: new Date(at).toISOString() });
  const lines = [line(statusMessages.QUEUED, generation.createdAt)];
  if (generation.startedAt) lines.push(line(`${statusMessages.PROCESSING} (${Math.round(generation.progress * 100)}%)`, generation.startedAt));
  if (generation.completedAt) lines.push(line(generation.error ? `${statusMessages[generation.status]}: ${generation.error.message}` : statusMessages[generation.status], generation.completedAt));
  return lines;
}

/** A generation as fal's queue status: IN_QUEUE, IN_PROGRESS, or COMPLETED once it has ended in any way. */
export function falQueueStatus(generation: Generation, app: string, withLogs: boolean) {
  const urls = falRequestUrls(app, generation.id);
  const logs = withLogs ? logsOf(generation) : [];
  if (generation.status === 'QUEUED') return { status: 'IN_QUEUE' as const, queue_position: 0, ...urls, ...(withLogs ? { logs } : {}) };
  if (generation.status === 'PROCESSING') return { status: 'IN_PROGRESS' as const, logs, ...urls };
  const inferenceSeconds = generation.startedAt && generation.completedAt ? (generation.completedAt - generation.startedAt) / 1000 : null;
  const failure = generation.error ? { error: generation.error.message, error_type: generation.error.code.toLowerCase() } : {};
  return { status: 'COMPLETED' as const, logs, metrics: { inference_time: inferenceSeconds }, ...failure, ...urls };
}

/** A finished generation's outputs in fal's shape for its kind: `images`, `video` or `audio` files. */
export function falResult(generation: Generation) {
  const contentType = generation.metadata?.contentType;
  const file = (url: string) => ({ url, ...(contentType ? { content_type: contentType } : {}), ...(generation.metadata?.sizeBytes ? { file_size: generation.metadata.sizeBytes } : {}) });
  const seed = typeof generation.options.seed === 'number' ? { seed: generation.options.seed } : {};
  const [first = ''] = generation.outputs;
  switch (generation.type) {
    case 'IMAGE':
      return {
        images: generation.outputs.map((url) => ({ ...file(url), width: generation.metadata?.width, height: generation.metadata?.height })),
        ...seed,
        prompt: generation.input.text ?? '',
        has_nsfw_concepts: generation.outputs.map(() => false),
      };
    case 'AUDIO':
      return { audio: file(first) };
    default:
      return { video: file(first), ...seed };
  }
}
