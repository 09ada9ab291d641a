import type { GoogleAuth } from 'google-auth-library';
import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import { joinUrl } from '../shared/upstream-errors.ts';
import { callUpstream } from '../shared/upstream-http.ts';
import type { Connector, PollResult } from '../spec.ts';
import { geminiError, veoFiltered, veoOperationFailure } from './google-errors.ts';
import type { VeoOptions } from './veo-options.ts';
import { buildVeoBody } from './veo-request.ts';

const vertexOperationSchema = z.object({ name: z.string().regex(/^projects\/[^/]+\/locations\/[^/]+\/publishers\/google\/models\/[^/]+\/operations\/[^/]+$/), model: z.string() });
type VertexOperation = z.infer<typeof vertexOperationSchema>;

/** A finished prediction on Vertex AI: videos inline as base64 (no output bucket is given). */
const operationSchema = z.object({
  done: z.boolean().optional(),
  error: z.object({ code: z.number().optional(), message: z.string().optional(), status: z.string().optional() }).optional(),
  response: z
    .object({
      videos: z.array(z.object({ bytesBase64Encoded: z.string().optional(), gcsUri: z.string().optional(), mimeType: z.string().optional() })).optional(),
      raiMediaFilteredCount: z.number().optional(),
      raiMediaFilteredReasons: z.array(z.string()).optional(),
    })
    .optional(),
});

export interface VertexSettings {
  project: string;
  location: string;
  credentialsFile: string;
  baseUrl?: string;
}

/** The service account's authoriser, loaded on the first call: a gateway without Vertex never loads google-auth-library. */
function vertexAuth(credentialsFile: string): () => Promise<GoogleAuth> {
  let auth: Promise<GoogleAuth> | null = null;
  return () =>
    (auth ??= import('google-auth-library').then(({ GoogleAuth }) => {
      const created = new GoogleAuth({ keyFilename: credentialsFile, scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
      // Sign the JWT locally with the cloud-platform scope rather than trade it for a token at Google's token endpoint.
      created.useJWTAccessWithScope = true;
      return created;
    }));
}

/**
 * Veo on Vertex AI: a long-running prediction polled with `:fetchPredictOperation`. Requests are authorised with
 * the service account's self-signed JWT (google-auth-library signs it locally and renews it before it expires).
 */
export function createVertexVeoClient(settings: VertexSettings): Connector<VertexOperation, VeoOptions> {
  const auth = vertexAuth(settings.credentialsFile);
  const origin = settings.baseUrl ?? `https://${settings.location}-aiplatform.googleapis.com`;
  const modelUrl = (model: string, method: string) =>
    joinUrl(origin, `/v1/projects/${encodeURIComponent(settings.project)}/locations/${encodeURIComponent(settings.location)}/publishers/google/models/${encodeURIComponent(model)}:${method}`);

  async function post(url: string, body: unknown) {
    let authorization: string | null;
    try {
      authorization = (await (await (await auth()).getClient()).getRequestHeaders(url)).get('authorization');
    } catch (error) {
      throw new GatewayError('PROVIDER_UNAVAILABLE', `Vertex AI credentials could not be used: ${(error as Error).message}`, { cause: error });
    }
    const response = await callUpstream({ method: 'POST', url, headers: { authorization: authorization ?? '' }, body });
    if (response.status !== 200) throw geminiError(response);
    return response.body;
  }

  return {
    operationSchema: vertexOperationSchema,

    async submit(request, context) {
      const body = await buildVeoBody(request, context, 'vertex');
      const operation = vertexOperationSchema.shape.name.safeParse(((await post(modelUrl(request.model, 'predictLongRunning'), body)) as { name?: unknown } | null)?.name);
      if (!operation.success) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Vertex AI accepted the prediction without an operation name', { retryable: true });
      return { name: operation.data, model: request.model };
    },

    async poll({ name, model }): Promise<PollResult> {
      const operation = operationSchema.safeParse(await post(modelUrl(model, 'fetchPredictOperation'), { operationName: name }));
      if (!operation.success) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Vertex AI answered with an operation this gateway does not understand', { retryable: true });
      const { done, error, response } = operation.data;
      if (!done) return { status: 'pending', started: true };
      if (error) return veoOperationFailure(error);
      const videos = (response?.videos ?? []).filter((video) => video.bytesBase64Encoded);
      if (videos.length === 0) {
        if (response?.raiMediaFilteredCount || response?.raiMediaFilteredReasons?.length) return veoFiltered(response.raiMediaFilteredReasons);
        throw new GatewayError('PROVIDER_UNAVAILABLE', 'Vertex AI finished the operation without a video', { retryable: true });
      }
      return { status: 'completed', outputs: videos.map((video) => ({ bytes: Buffer.from(video.bytesBase64Encoded!, 'base64'), contentType: video.mimeType ?? 'video/mp4' })) };
    },
  };
}
