import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toErrorBody } from '../../errors/gateway-error.ts';
import type { GenerateRequest } from '../../generations/generate-request.ts';
import { type Generation, type GenerationType, generationTypes } from '../../generations/generation.ts';
import type { GenerationService } from '../../generations/generation-service.ts';
import { generationView } from '../../generations/generation-view.ts';
import { type EventStreamDependencies, streamGeneration } from '../../http/event-stream.ts';
import { type ProviderCatalog, providerViews } from '../../providers/provider-view.ts';
import type { RealtimeConnections } from '../../realtime/realtime-limits.ts';

/** What the REST API uses: the generation service and the provider catalog, and what its event streams read. */
export interface RestSurfaceDependencies extends EventStreamDependencies {
  service: Pick<GenerationService, 'create' | 'get' | 'cancel'>;
  registry: ProviderCatalog;
}

/** The REST API's parameters; anything else in the body is a provider option (e.g. `duration`, `aspectRatio`). */
const restBodySchema = z.looseObject({
  service: z.string().min(1).optional().describe('Provider id, e.g. "runway"; omit to let priority choose'),
  prompt: z.string().min(1).optional().describe('What to generate'),
  text: z.string().min(1).optional().describe('Text to speak (text_to_speech); same as prompt'),
  image: z.string().min(1).optional().describe('Input image: https URL or base64 data URI'),
  voice: z.string().optional().describe('Voice for speech'),
  priority: z.enum(['QUALITY', 'SPEED', 'COST', 'BALANCED']).optional(),
  webhookUrl: z.string().optional().describe('URL that receives a POST when the generation ends'),
});
type RestBody = z.infer<typeof restBodySchema>;

const routes: Array<{ path: string; type: GenerationType; envelope: string; summary: string }> = [
  { path: '/v1/text_to_video', type: 'VIDEO', envelope: 'generatevideo', summary: 'Generate a video from text' },
  { path: '/v1/image_to_video', type: 'VIDEO', envelope: 'generatevideo', summary: 'Animate an image into a video' },
  { path: '/v1/text_to_image', type: 'IMAGE', envelope: 'generateimage', summary: 'Generate an image from text' },
  { path: '/v1/text_to_speech', type: 'AUDIO', envelope: 'generateaudio', summary: 'Speak a text' },
];

function toGenerateRequest(type: GenerationType, body: RestBody): GenerateRequest {
  const { service, prompt, text, image, voice, priority, webhookUrl, ...options } = body;
  return { type, provider: service, input: { text: prompt ?? text, image, voice }, options: options as Record<string, unknown>, priority, webhookUrl };
}

/** REST shows statuses in lower case, as its first clients' examples do, and the provider as `service`. */
const restView = (generation: Generation) => {
  const view = generationView(generation);
  return { ...view, status: view.status.toLowerCase(), service: view.provider };
};

const idParams = z.object({ id: z.string().min(1).describe('Generation id') });

/**
 * The REST API at /v1 over the same service as GraphQL: no second validation, pricing or state. Its errors have the
 * gateway's default body (`toErrorBody`), which the host's error handler gives every route outside /runway.
 */
export function restRoutes(dependencies: RestSurfaceDependencies, connections: RealtimeConnections): FastifyPluginAsyncZod {
  const { service, registry } = dependencies;
  return async (app) => {
    for (const route of routes) {
      app.post(route.path, { schema: { summary: route.summary, tags: ['REST'], body: restBodySchema } }, async (request) => {
        const { generation, rateLimit } = await service.create(request.caller!, toGenerateRequest(route.type, request.body));
        request.rateLimit = rateLimit;
        return { data: { [route.envelope]: restView(generation) } };
      });
    }

    app.get('/v1/generations/:id', { schema: { summary: 'A generation, by id', tags: ['REST'], params: idParams } }, async (request) => ({
      data: { generation: restView(await service.get(request.caller!, request.params.id)) },
    }));

    app.get('/v1/generations/:id/events', { schema: { summary: 'A generation as it changes (server-sent events)', tags: ['REST'], params: idParams } }, (request, reply) =>
      streamGeneration(request, reply, request.params.id, { dependencies, connections, render: restView, renderError: (error) => toErrorBody(error) }),
    );

    app.delete('/v1/generations/:id', { schema: { summary: 'Cancel a generation', tags: ['REST'], params: idParams } }, async (request) => ({
      data: { cancelGeneration: await service.cancel(request.caller!, request.params.id) },
    }));

    app.get('/v1/providers', { schema: { summary: 'Providers and their options', tags: ['REST'], querystring: z.object({ type: z.enum(generationTypes).optional() }) } }, async (request) => ({
      data: { providers: providerViews(registry, request.query.type) },
    }));
  };
}
