import fastifyMultipart from '@fastify/multipart';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { AccountRepository } from '../../billing/account-repository.ts';
import type { AccountStatus } from '../../billing/account-status.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { GenerationService } from '../../generations/generation-service.ts';
import { protectWithApiKeys } from '../../http/api-key-surface.ts';
import type { RedisConnectivity } from '../../redis/redis-connectivity.ts';
import type { RedisKeys } from '../../redis/redis-keys.ts';
import type { UploadStore } from '../../uploads/upload-store.ts';
import { openAiErrorHandler, sendOpenAiError } from './openai-errors.ts';
import { imageEditBodySchema, imageEditParameters, imageEditRequest, maxEditImages } from './openai-image-edits.ts';
import { imageGenerationBodySchema, imageParameters, imageRequest, imagesResponse } from './openai-images.ts';
import { type OpenAiRegistry, type OutputFiles, readOutput } from './openai-media.ts';
import { speechAudio, speechBodySchema, speechParameters, speechRequest } from './openai-speech.ts';
import { videoContentQuerySchema, videoCreateBodySchema, videoListQuerySchema, videoParameters, videoRequest, videoView } from './openai-videos.ts';
import { abortOnClose, generateAndWait, type HeldGenerationDependencies } from './openai-wait.ts';

/** What the OpenAI-compatible API uses: authentication, the generation service, the provider catalog and the stored outputs. */
export interface OpenAiSurfaceDependencies extends HeldGenerationDependencies {
  connectivity: Pick<RedisConnectivity, 'isUp'>;
  accounts: Pick<AccountRepository, 'authenticate'>;
  accountStatus: Pick<AccountStatus, 'minuteWindow'>;
  service: Pick<GenerationService, 'create' | 'get' | 'cancel' | 'list'>;
  registry: OpenAiRegistry;
  store: OutputFiles;
  /** Where `images/edits` keeps the images it is sent, as uploads of the caller's account. */
  uploads: Pick<UploadStore, 'begin' | 'receive'>;
  redis: Redis;
  keys: RedisKeys;
}

export interface OpenAiSurfaceOptions {
  /** How long `images/generations`, `images/edits` and `audio/speech` hold the answer for the generation to end. */
  waitMs?: number;
}

/** Two minutes: OpenAI's own image calls can take about one; the SDK waits ten before it gives up. */
const defaultWaitMs = 120_000;

const tags = ['OpenAI-compatible'];
const videoParams = z.object({ video_id: z.string().min(1) });

/** Genway's own model is its provider: GET /models lists providers as OpenAI model objects. */
const modelObject = (id: string) => ({ id, object: 'model' as const, created: 0, owned_by: 'genway' });

/**
 * OpenAI's API under /openai/v1, so the `openai` package works with only a new base URL: images, speech and
 * videos over the same generation service (validation, credits, limits, test keys, webhooks), errors as OpenAI
 * words them (`{ error: { message, type, param, code } }`, param the OpenAI field).
 */
export function openaiRoutes(dependencies: OpenAiSurfaceDependencies, options: OpenAiSurfaceOptions = {}): FastifyPluginAsyncZod {
  const { service, registry, store, uploads } = dependencies;
  const waitMs = options.waitMs ?? defaultWaitMs;
  return async (app) => {
    app.setErrorHandler(openAiErrorHandler);
    app.setNotFoundHandler((request, reply) => sendOpenAiError(reply, new GatewayError('NOT_FOUND', `Unknown request URL: ${request.method} ${request.url.split('?')[0]}`)));
    protectWithApiKeys(app, dependencies, { send: sendOpenAiError });
    await app.register(fastifyMultipart, { attachFieldsToBody: 'keyValues', limits: { files: maxEditImages + 1, fields: 16 } });

    const held = (reply: FastifyReply) => abortOnClose(reply.raw);

    app.post('/images/generations', { config: { openaiParameters: imageParameters }, schema: { summary: 'Create an image', tags, body: imageGenerationBodySchema } }, async (request, reply) => {
      const caller = request.caller!;
      const { generation, rateLimit } = await generateAndWait(dependencies, caller, imageRequest(registry, request.body, caller.mode), waitMs, held(reply));
      request.rateLimit = rateLimit;
      return imagesResponse(generation, request.body, store);
    });

    app.post('/images/edits', { config: { openaiParameters: imageEditParameters }, schema: { summary: 'Edit an image', tags, body: imageEditBodySchema } }, async (request, reply) => {
      const caller = request.caller!;
      const generate = await imageEditRequest(registry, uploads, caller.accountId, request.body, caller.mode);
      const { generation, rateLimit } = await generateAndWait(dependencies, caller, generate, waitMs, held(reply));
      request.rateLimit = rateLimit;
      return imagesResponse(generation, request.body, store);
    });

    app.post('/audio/speech', { config: { openaiParameters: speechParameters }, schema: { summary: 'Speak a text', tags, body: speechBodySchema } }, async (request, reply) => {
      const caller = request.caller!;
      const { generation, rateLimit } = await generateAndWait(dependencies, caller, speechRequest(registry, request.body, caller.mode), waitMs, held(reply));
      request.rateLimit = rateLimit;
      const audio = await speechAudio(generation, request.body, store);
      return reply.type(audio.contentType).send(audio.bytes);
    });

    app.post('/videos', { config: { openaiParameters: videoParameters }, schema: { summary: 'Create a video', tags, body: videoCreateBodySchema } }, async (request) => {
      const { generation, rateLimit } = await service.create(request.caller!, await videoRequest(registry, request.body));
      request.rateLimit = rateLimit;
      return videoView(generation);
    });

    app.get('/videos', { schema: { summary: 'Videos, newest first', tags, querystring: videoListQuerySchema } }, async (request) => {
      const { limit, after } = request.query;
      const page = await service.list(request.caller!, limit, after, { type: 'VIDEO' });
      const data = page.items.map(videoView);
      return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: page.hasNextPage };
    });

    app.get('/videos/:video_id', { schema: { summary: 'A video, by id', tags, params: videoParams } }, async (request) => videoView(await service.get(request.caller!, request.params.video_id)));

    app.delete('/videos/:video_id', { schema: { summary: 'Cancel a video (its record stays readable)', tags, params: videoParams } }, async (request) => {
      await service.cancel(request.caller!, request.params.video_id);
      return { id: request.params.video_id, object: 'video.deleted', deleted: true };
    });

    app.get('/videos/:video_id/content', { schema: { summary: "A finished video's file", tags, params: videoParams, querystring: videoContentQuerySchema } }, async (request, reply) => {
      const generation = await service.get(request.caller!, request.params.video_id);
      const url = generation.outputs[0];
      if (generation.status !== 'COMPLETED' || !url)
        throw new GatewayError('NOT_FOUND', `Video ${generation.id} is ${generation.status.toLowerCase()}: its content is ready once it completes`, { details: { field: 'video_id' } });
      return reply.type(generation.metadata?.contentType ?? 'video/mp4').send(await readOutput(store, url));
    });

    app.get('/models', { schema: { summary: 'The providers, as models', tags } }, async () => ({ object: 'list', data: registry.list().map((definition) => modelObject(definition.id)) }));

    app.get('/models/:model', { schema: { summary: 'A provider, as a model', tags, params: z.object({ model: z.string().min(1) }) } }, async (request) => {
      const definition = registry.get(request.params.model);
      if (!definition) throw new GatewayError('NOT_FOUND', `The model '${request.params.model}' does not exist`, { details: { field: 'model', openaiCode: 'model_not_found' } });
      return modelObject(definition.id);
    });
  };
}
