import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { GenerateRequest } from '../../generations/generate-request.ts';
import type { Generation, GenerationStatus, WebhookMoment } from '../../generations/generation.ts';
import { type ReplicateModel, replicateModelOf, versionIdOf } from './replicate-models.ts';

/** Replicate's webhook events; `output` and `logs` come with the end here, as genway streams neither. */
const webhookEvents = ['start', 'output', 'logs', 'completed'] as const;
type WebhookEventName = (typeof webhookEvents)[number];
const momentOf: Record<WebhookEventName, WebhookMoment | null> = { start: 'started', output: 'ended', logs: null, completed: 'ended' };

/** Replicate's create-prediction body; `version` only on `POST /predictions`. */
export const predictionBodySchema = z.looseObject({
  input: z.record(z.string(), z.unknown()),
  version: z.string().min(1).optional(),
  webhook: z.string().optional(),
  webhook_events_filter: z.array(z.enum(webhookEvents)).optional(),
});
export type PredictionBody = z.infer<typeof predictionBodySchema>;

/** Replicate's input fields that are one of genway's media or text inputs; every other field is a provider option. */
const inputFields: Record<string, keyof NonNullable<GenerateRequest['input']>> = {
  prompt: 'text',
  negative_prompt: 'negativePrompt',
  image: 'image',
  start_image: 'image',
  first_frame_image: 'image',
  input_image: 'image',
  end_image: 'endImage',
  last_frame_image: 'endImage',
  video: 'video',
  audio: 'audio',
  image_input: 'references',
};
/** The name each genway input shows under in a prediction's `input`. */
const shownInputNames: Record<string, string> = { text: 'prompt', negativePrompt: 'negative_prompt', endImage: 'end_image', references: 'image_input' };

/** Request fields a Replicate client sends outside `input`, by the name it sends them under. */
const requestFieldNames: Record<string, string> = { webhookUrl: 'webhook', webhookMoments: 'webhook_events_filter', cancelAfterMs: 'Cancel-After' };

const camelCase = (name: string) => name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

export interface MappedPrediction {
  request: GenerateRequest;
  /** A genway field path (`options.aspectRatio`) as the client sent it (`input.aspect_ratio`), for error bodies. */
  clientField(field: string): string;
}

/** A Replicate prediction request for `model` as genway's unified request; the provider's own schema then judges it. */
export function predictionToRequest(model: ReplicateModel, body: PredictionBody, cancelAfterMs?: number): MappedPrediction {
  const input: Record<string, unknown> = {};
  const options: Record<string, unknown> = model.model ? { model: model.model } : {};
  const sentAs = new Map<string, string>();
  for (const [name, value] of Object.entries(body.input)) {
    if (value === undefined || value === null) continue;
    const target = inputFields[name];
    const path = target ? `input.${target}` : `options.${camelCase(name)}`;
    (target ? input : options)[target ?? camelCase(name)] = value;
    sentAs.set(path, `input.${name}`);
  }
  const webhook = body.webhook ? { webhookUrl: body.webhook, webhookFormat: 'replicate' as const, webhookMoments: webhookMomentsOf(body.webhook_events_filter) } : {};
  return {
    request: { type: model.type, provider: model.provider, input, options, ...webhook, cancelAfterMs },
    clientField(field) {
      if (requestFieldNames[field]) return requestFieldNames[field];
      const [scope, name, ...rest] = field.split('.');
      const sent = sentAs.get(`${scope}.${name}`);
      if (sent) return [sent, ...rest].join('.');
      if (scope === 'options' && name) return ['input', snakeCase(name), ...rest].join('.');
      if (scope === 'input' && name) return ['input', shownInputNames[name] ?? name, ...rest].join('.');
      return field;
    },
  };
}

/** The moments a webhook is sent for, from Replicate's filter (every event when there is none). */
function webhookMomentsOf(filter: readonly WebhookEventName[] = webhookEvents): WebhookMoment[] {
  return [...new Set(filter.map((event) => momentOf[event]).filter((moment) => moment !== null))];
}

/** Replicate's shortest `Cancel-After`. */
const minCancelAfterMs = 5000;
const durationUnitsMs: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** `Cancel-After` (`30s`, `5m`, `1h30m`, `1500ms`) in milliseconds; undefined without the header. */
export function cancelAfterMsOf(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header[0]! : header).trim();
  const parts = [...value.matchAll(/(\d+)(ms|h|m|s)/g)];
  const total = parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * durationUnitsMs[unit!]!, 0);
  if (parts.length === 0 || parts.map(([part]) => part).join('') !== value || total < minCancelAfterMs) {
    throw new GatewayError('INVALID_INPUT', `Cancel-After must be a duration such as 30s, 5m or 1h30m, at least ${minCancelAfterMs / 1000}s`, { details: { field: 'Cancel-After' } });
  }
  return total;
}

const statusOf: Record<GenerationStatus, 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled'> = {
  QUEUED: 'starting',
  PROCESSING: 'processing',
  COMPLETED: 'succeeded',
  FAILED: 'failed',
  CANCELLED: 'canceled',
};

const isoOrUndefined = (time: number | null) => (time === null ? undefined : new Date(time).toISOString());

/** The prediction's `input` as a Replicate client would have sent it, rebuilt from the stored request. */
function shownInput(generation: Generation): Record<string, unknown> {
  const input = Object.entries(generation.input).filter(([, value]) => value !== undefined && value !== null);
  const { model: _model, ...options } = generation.requestedOptions;
  return {
    ...Object.fromEntries(input.map(([name, value]) => [shownInputNames[name] ?? name, value])),
    ...Object.fromEntries(Object.entries(options).map(([name, value]) => [snakeCase(name), value])),
  };
}

/** Replicate's `metrics`: seconds the model ran, and seconds from creation to the end. */
function metricsOf(generation: Generation) {
  const { startedAt, completedAt, createdAt } = generation;
  if (completedAt === null) return {};
  return { predict_time: startedAt === null ? 0 : (completedAt - startedAt) / 1000, total_time: (completedAt - createdAt) / 1000 };
}

/** A generation as a Replicate prediction; `apiBase` is this API's absolute base URL (its `urls` point back here). */
export function predictionView(generation: Generation, apiBase: string) {
  const model = replicateModelOf(generation.provider, generation.model);
  const ended = generation.status === 'COMPLETED';
  const output = !ended ? null : model?.output === 'list' ? generation.outputs : (generation.outputs[0] ?? null);
  return {
    id: generation.id,
    model: model?.name ?? `genway/${generation.provider}`,
    version: model ? versionIdOf(model) : 'hidden',
    input: shownInput(generation),
    output,
    logs: '',
    error: generation.status === 'FAILED' ? (generation.error?.message ?? 'The prediction failed') : null,
    status: statusOf[generation.status],
    source: 'api' as const,
    data_removed: false,
    metrics: metricsOf(generation),
    created_at: new Date(generation.createdAt).toISOString(),
    started_at: isoOrUndefined(generation.startedAt),
    completed_at: isoOrUndefined(generation.completedAt),
    urls: { get: `${apiBase}/predictions/${generation.id}`, cancel: `${apiBase}/predictions/${generation.id}/cancel` },
  };
}

/** When every mapped model's one version is said to have been made: fixed, so views do not change between calls. */
const versionCreatedAt = new Date(0).toISOString();

/** Replicate's model object for a mapped model. */
export function modelView(model: ReplicateModel) {
  const [owner, name] = model.name.split('/') as [string, string];
  return {
    url: `/${model.name}`,
    owner,
    name,
    description: model.description,
    visibility: 'public' as const,
    is_official: true,
    run_count: 0,
    latest_version: { id: versionIdOf(model), created_at: versionCreatedAt, cog_version: null, openapi_schema: null },
  };
}
