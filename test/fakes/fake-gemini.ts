import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { renderImage, ScriptedTasks, type Send, sizeForAspect, startFakeServer } from './fake-server.ts';

/**
 * A fake of the Gemini API's video generation, written from @google/genai's REST shapes (its Gemini API
 * converters) and Google's API docs: `x-goog-api-key`, `models/{model}:predictLongRunning` returning an operation,
 * operations polled until `done`, generated videos that need the key to download (answered with a redirect to
 * the file), safety-filtered results, and Google's error JSON with RetryInfo.
 */
export type VeoStep = { done: false } | { done: true; outcome: 'video' | 'filtered' } | { done: true; error: { code: number; message: string; status: string } };

const models = ['veo-3.1-generate-001', 'veo-3.1-fast-generate-001'];
const image = z.strictObject({ bytesBase64Encoded: z.string().min(1), mimeType: z.string().regex(/^image\//) });
/** Veo's request parameters that both of Google's APIs take. */
export const veoParameters = {
  sampleCount: z.number().int().min(1).max(4).optional(),
  aspectRatio: z.enum(['16:9', '9:16']).optional(),
  durationSeconds: z.union([z.literal(4), z.literal(6), z.literal(8)]).optional(),
  resolution: z.enum(['720p', '1080p', '4k']).optional(),
  negativePrompt: z.string().optional(),
  personGeneration: z.enum(['allow_all', 'allow_adult', 'dont_allow']).optional(),
  enhancePrompt: z.boolean().optional(),
};
/** A `:predictLongRunning` body with `parameters`; unknown fields are refused, as Google does. */
export const veoPredictBody = (parameters: z.ZodRawShape) =>
  z.strictObject({
    instances: z.array(z.strictObject({ prompt: z.string().min(1).optional(), image: image.optional(), lastFrame: image.optional(), referenceImages: z.array(z.unknown()).optional() })).length(1),
    parameters: z.strictObject(parameters).optional(),
  });
/** The Gemini API refuses the Vertex-only fields (seed, generateAudio, …) as unknown. */
const predictBody = veoPredictBody(veoParameters);

/** What the next generateContent call answers: an image, a blocked prompt, or an image withheld by safety filters. */
export type ImageOutcome = 'image' | 'blocked' | 'withheld';
const imageModels = ['gemini-3.1-flash-image-preview', 'gemini-3-pro-image-preview', 'gemini-2.5-flash-image'];
const longSideOfSize: Record<string, number> = { '1K': 1024, '2K': 2048, '4K': 4096 };
const part = z.union([z.strictObject({ text: z.string().min(1) }), z.strictObject({ inlineData: z.strictObject({ mimeType: z.string().regex(/^image\//), data: z.string().min(1) }) })]);
const generateContentBody = z.strictObject({
  contents: z.array(z.strictObject({ role: z.enum(['user', 'model']).optional(), parts: z.array(part).min(1) })).min(1),
  generationConfig: z
    .strictObject({
      responseModalities: z.array(z.enum(['TEXT', 'IMAGE'])).optional(),
      imageConfig: z
        .strictObject({ aspectRatio: z.enum(['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9']).optional(), imageSize: z.enum(['1K', '2K', '4K']).optional() })
        .optional(),
    })
    .optional(),
});

export function googleError(send: Send, http: number, status: string, message: string, details: unknown[] = []) {
  send(http, { error: { code: http, message, status, details } });
}

export async function startFakeGemini(options: { apiKey: string }) {
  const tasks = new ScriptedTasks<VeoStep>(() => [{ done: false }, { done: true, outcome: 'video' }]);

  const operationView = (name: string, id: string, step: VeoStep, origin: string) => {
    if (!step.done) return { name, metadata: {} };
    if ('error' in step) return { name, done: true, error: step.error };
    const generateVideoResponse =
      step.outcome === 'video'
        ? { generatedSamples: [{ video: { uri: `${origin}/v1beta/files/${id}:download?alt=media` } }] }
        : { raiMediaFilteredCount: 1, raiMediaFilteredReasons: ["The video could not be generated because it violates Google's safety policies."] };
    return { name, done: true, response: { '@type': 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse', generateVideoResponse } };
  };

  const imageOutcomes: ImageOutcome[] = [];
  /** Images stay small (the long side at most 256 px) so tests stay fast; the aspect ratio is the one asked for. */
  const answerImage = (body: z.infer<typeof generateContentBody>, send: Send) => {
    const outcome = imageOutcomes.shift() ?? 'image';
    if (outcome === 'blocked') return send(200, { promptFeedback: { blockReason: 'SAFETY' } });
    if (outcome === 'withheld') return send(200, { candidates: [{ content: { role: 'model', parts: [] }, finishReason: 'IMAGE_SAFETY' }] });
    const config = body.generationConfig?.imageConfig;
    const { width, height } = sizeForAspect(config?.aspectRatio ?? '1:1', Math.min(256, longSideOfSize[config?.imageSize ?? '1K']!));
    const data = Buffer.from(renderImage('png', width, height)).toString('base64');
    send(200, {
      candidates: [{ content: { role: 'model', parts: [{ text: 'Here is your image.' }, { inlineData: { mimeType: 'image/png', data } }] }, finishReason: 'STOP' }],
      usageMetadata: { candidatesTokenCount: 1290 },
    });
  };

  let down = false;
  const server = await startFakeServer({
    handle(request, send, origin) {
      if (down) return googleError(send, 503, 'UNAVAILABLE', 'The service is currently unavailable.');
      if (request.headers['x-goog-api-key'] !== options.apiKey) {
        return googleError(send, 400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
        ]);
      }
      const generate = /^\/v1beta\/models\/([^/:]+):generateContent$/.exec(request.path);
      if (request.method === 'POST' && generate) {
        if (!imageModels.includes(generate[1]!)) return googleError(send, 404, 'NOT_FOUND', `models/${generate[1]} is not found for API version v1beta`);
        const parsed = generateContentBody.safeParse(request.body);
        if (!parsed.success) return googleError(send, 400, 'INVALID_ARGUMENT', parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
        if (generate[1] === 'gemini-2.5-flash-image' && parsed.data.generationConfig?.imageConfig?.imageSize)
          return googleError(send, 400, 'INVALID_ARGUMENT', 'imageSize is not supported by this model');
        return answerImage(parsed.data, send);
      }
      const predict = /^\/v1beta\/models\/([^/:]+):predictLongRunning$/.exec(request.path);
      if (request.method === 'POST' && predict) {
        if (!models.includes(predict[1]!)) return googleError(send, 404, 'NOT_FOUND', `models/${predict[1]} is not found for API version v1beta`);
        const parsed = predictBody.safeParse(request.body);
        if (!parsed.success) return googleError(send, 400, 'INVALID_ARGUMENT', parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
        const id = randomUUID();
        tasks.create(id, request.body);
        return send(200, { name: `models/${predict[1]}/operations/${id}` });
      }
      const operation = /^\/v1beta\/(models\/[^/]+\/operations\/([^/]+))$/.exec(request.path);
      if (request.method === 'GET' && operation) {
        const step = tasks.poll(operation[2]!);
        if (!step) return googleError(send, 404, 'NOT_FOUND', 'Operation not found');
        return send(200, operationView(operation[1]!, operation[2]!, step, origin));
      }
      const file = /^\/v1beta\/files\/([^/:]+):download$/.exec(request.path);
      if (request.method === 'GET' && file) return send(302, undefined, { location: `${origin}/outputs/${file[1]}.mp4` });
      googleError(send, 404, 'NOT_FOUND', `${request.path} not found`);
    },
  });

  return {
    ...server,
    url: server.origin,
    tasks,
    script: (steps: VeoStep[]) => tasks.script(steps),
    creations: () => server.requests.filter((request) => request.path.endsWith(':predictLongRunning')),
    /** While down, every request is answered 503 UNAVAILABLE. */
    setDown: (value: boolean) => {
      down = value;
    },
    imageCalls: () => server.requests.filter((request) => request.path.endsWith(':generateContent')),
    /** The next generateContent calls answer these outcomes, in order. */
    scriptImages: (...outcomes: ImageOutcome[]) => imageOutcomes.push(...outcomes),
    downloads: () => server.requests.filter((request) => request.path.includes(':download')),
  };
}

export type FakeGemini = Awaited<ReturnType<typeof startFakeGemini>>;
