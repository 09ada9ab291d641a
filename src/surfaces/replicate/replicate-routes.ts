import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { AccountRepository } from '../../billing/account-repository.ts';
import type { AccountStatus } from '../../billing/account-status.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { Generation } from '../../generations/generation.ts';
import type { GenerationService } from '../../generations/generation-service.ts';
import { protectWithApiKeys } from '../../http/api-key-surface.ts';
import { asGatewayError } from '../../http/error-handler.ts';
import { parseJsonBodies } from '../../http/json-bodies.ts';
import { awaitGenerationEnd, type WatchDependencies } from '../../realtime/generation-events.ts';
import type { RedisConnectivity } from '../../redis/redis-connectivity.ts';
import type { RedisKeys } from '../../redis/redis-keys.ts';
import { replicateErrorBody, replicateStatusOf } from './replicate-errors.ts';
import { findReplicateModel, replicateModels } from './replicate-models.ts';
import { cancelAfterMsOf, modelView, predictionBodySchema, predictionToRequest, predictionView } from './replicate-prediction-mapping.ts';

/** Where the Replicate-compatible API lives; its `urls` and page links are absolute URLs under it. */
export const replicatePrefix = '/replicate/v1';

/** What Replicate's API uses: authentication and the account's webhook secret, the generation service, change events for `Prefer: wait`, and idempotency records. */
export interface ReplicateSurfaceDependencies {
  connectivity: Pick<RedisConnectivity, 'isUp'>;
  accounts: Pick<AccountRepository, 'authenticate' | 'webhookSecrets'>;
  accountStatus: Pick<AccountStatus, 'minuteWindow'>;
  service: Pick<GenerationService, 'create' | 'get' | 'cancel' | 'list'>;
  events: WatchDependencies['hub'];
  redis: Redis;
  keys: RedisKeys;
}

export function sendReplicateError(reply: FastifyReply, error: GatewayError) {
  return reply.code(replicateStatusOf(error)).headers(error.headers).header('x-genway-error-code', error.code).send(replicateErrorBody(error));
}

function replicateErrorHandler(error: FastifyError | GatewayError, request: FastifyRequest, reply: FastifyReply) {
  return sendReplicateError(reply, asGatewayError(error, request));
}

/** Replicate's `Prefer: wait` (60 s) or `wait=n` (1 to 60 s), among any other preferences; null when the client does not ask to wait. */
const maxWaitSeconds = 60;
function preferredWaitSeconds(header: string | string[] | undefined): number | null {
  const preferences = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((preference) => preference.trim());
  const wait = preferences.map((preference) => /^wait(?:\s*=\s*(\S*))?$/i.exec(preference)).find(Boolean);
  if (!wait) return null;
  const seconds = wait[1] === undefined ? maxWaitSeconds : Number(wait[1]);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > maxWaitSeconds) {
    throw new GatewayError('INVALID_INPUT', `Prefer: wait must be from 1 to ${maxWaitSeconds} seconds`, { details: { field: 'Prefer' } });
  }
  return seconds;
}

/** Aborted when the client goes away, so a held response stops watching its prediction. */
function closedSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => controller.abort());
  return controller.signal;
}

const modelParams = z.object({ owner: z.string().min(1), name: z.string().min(1) });
const predictionParams = z.object({ id: z.string().min(1) });
const listQuery = z.object({ cursor: z.string().min(1).optional() });
/** Replicate's page size for predictions. */
const pageSize = 100;

const apiBaseOf = (request: FastifyRequest) => `${request.protocol}://${request.host}${replicatePrefix}`;

function unknownModel(reference: string): GatewayError {
  return new GatewayError('NOT_FOUND', `The requested model ${reference} could not be found`);
}

/**
 * Replicate's predictions API under /replicate/v1, so Replicate's own client works with only a new base URL: create
 * (by model or version, held with `Prefer: wait`), get, cancel, list, and the mapped models. Behind the predictions
 * run every provider, test mode, credits and idempotency.
 */
export function replicateRoutes(dependencies: ReplicateSurfaceDependencies): FastifyPluginAsyncZod {
  const { service } = dependencies;
  return async (app) => {
    // Its client sends `Content-Type: application/json` on every call, bodiless ones too.
    parseJsonBodies(app, () => true);
    app.setErrorHandler(replicateErrorHandler);
    app.setNotFoundHandler((request, reply) => sendReplicateError(reply, new GatewayError('NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`)));
    protectWithApiKeys(app, dependencies, { send: sendReplicateError });

    const watch = (request: FastifyRequest): WatchDependencies => ({ hub: dependencies.events, read: (id) => service.get(request.caller!, id) });

    async function createPrediction(request: FastifyRequest, reply: FastifyReply, reference: string, body: z.infer<typeof predictionBodySchema>) {
      const model = findReplicateModel(reference);
      if (!model) throw unknownModel(reference);
      const waitSeconds = preferredWaitSeconds(request.headers.prefer);
      const mapped = predictionToRequest(model, body, cancelAfterMsOf(request.headers['cancel-after']));
      let created: Awaited<ReturnType<typeof service.create>>;
      try {
        created = await service.create(request.caller!, mapped.request);
      } catch (error) {
        throw error instanceof GatewayError && typeof error.details.field === 'string' ? withClientField(error, mapped.clientField(error.details.field)) : error;
      }
      request.rateLimit = created.rateLimit;
      let generation: Generation = created.generation;
      if (waitSeconds !== null) generation = await awaitGenerationEnd(watch(request), request.caller!.accountId, generation.id, waitSeconds * 1000, closedSignal(reply));
      return reply.code(201).send(predictionView(generation, apiBaseOf(request)));
    }

    app.post(
      '/models/:owner/:name/predictions',
      { schema: { summary: 'Replicate-compatible prediction of a model', tags: ['Replicate-compatible'], params: modelParams, body: predictionBodySchema } },
      (request, reply) => createPrediction(request, reply, `${request.params.owner}/${request.params.name}`, request.body),
    );

    app.post(
      '/predictions',
      { schema: { summary: 'Replicate-compatible prediction of a model version', tags: ['Replicate-compatible'], body: predictionBodySchema.extend({ version: z.string().min(1) }) } },
      (request, reply) => createPrediction(request, reply, request.body.version, request.body),
    );

    app.get('/predictions/:id', { schema: { summary: 'A prediction, by id', tags: ['Replicate-compatible'], params: predictionParams } }, async (request) =>
      predictionView(await service.get(request.caller!, request.params.id), apiBaseOf(request)),
    );

    app.post('/predictions/:id/cancel', { schema: { summary: 'Cancel a prediction', tags: ['Replicate-compatible'], params: predictionParams } }, async (request) => {
      await service.cancel(request.caller!, request.params.id);
      return predictionView(await service.get(request.caller!, request.params.id), apiBaseOf(request));
    });

    app.get('/predictions', { schema: { summary: "The account's predictions, newest first", tags: ['Replicate-compatible'], querystring: listQuery } }, async (request) => {
      const page = await service.list(request.caller!, pageSize, request.query.cursor, {});
      const base = apiBaseOf(request);
      const last = page.items.at(-1);
      return {
        previous: null,
        next: page.hasNextPage && last ? `${base}/predictions?cursor=${encodeURIComponent(last.id)}` : null,
        results: page.items.map((generation) => predictionView(generation, base)),
      };
    });

    // Replicate's receivers fetch the secret their webhooks are signed with; here it is the account's own.
    app.get('/webhooks/default/secret', { schema: { summary: 'The secret webhooks are signed with', tags: ['Replicate-compatible'] } }, async (request) => {
      const secrets = await dependencies.accounts.webhookSecrets(request.caller!.accountId);
      if (!secrets) throw new GatewayError('NOT_FOUND', 'this account has no webhook secret');
      return { key: secrets.current };
    });

    const mappedModel = (params: z.infer<typeof modelParams>) => {
      const reference = `${params.owner}/${params.name}`;
      const model = findReplicateModel(reference);
      if (!model) throw unknownModel(reference);
      return model;
    };

    app.get('/models', { schema: { summary: 'The mapped models', tags: ['Replicate-compatible'] } }, async () => ({
      previous: null,
      next: null,
      results: replicateModels.map((model) => modelView(model)),
    }));

    app.get('/models/:owner/:name', { schema: { summary: 'A mapped model', tags: ['Replicate-compatible'], params: modelParams } }, async (request) => modelView(mappedModel(request.params)));

    app.get('/models/:owner/:name/versions', { schema: { summary: "A mapped model's one version", tags: ['Replicate-compatible'], params: modelParams } }, async (request) => ({
      previous: null,
      next: null,
      results: [modelView(mappedModel(request.params)).latest_version],
    }));
  };
}

/** The same error, naming the field as the client sent it. */
function withClientField(error: GatewayError, field: string): GatewayError {
  const prefix = `${error.details.field}: `;
  const message = error.message.startsWith(prefix) ? `${field}: ${error.message.slice(prefix.length)}` : error.message;
  return new GatewayError(error.code, message, { retryable: error.retryable, details: { ...error.details, field }, headers: error.headers, cause: error });
}
