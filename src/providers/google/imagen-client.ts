import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import { joinUrl } from '../shared/upstream-errors.ts';
import { callUpstream } from '../shared/upstream-http.ts';
import type { Connector, PollResult } from '../spec.ts';
import { geminiError } from './google-errors.ts';
import type { ImagenOptions } from './imagen-options.ts';
import { buildImageContent } from './imagen-request.ts';

/** generateContent answers at once: the operation only records the request; the image is made at the first poll. */
const imageOperationSchema = z.object({ requestedAt: z.number() });
type ImageOperation = z.infer<typeof imageOperationSchema>;

const contentSchema = z.object({
  candidates: z
    .array(
      z.object({
        content: z.object({ parts: z.array(z.object({ text: z.string().optional(), inlineData: z.object({ mimeType: z.string(), data: z.string() }).optional() })).optional() }).optional(),
        finishReason: z.string().optional(),
      }),
    )
    .optional(),
  promptFeedback: z.object({ blockReason: z.string().optional() }).optional(),
});

/** Finish reasons that mean Google's safety systems withheld the image (the API's FinishReason enum). */
const safetyFinishReasons = new Set(['SAFETY', 'IMAGE_SAFETY', 'PROHIBITED_CONTENT', 'IMAGE_PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII', 'RECITATION']);

/** Google's image models through the Gemini API's generateContent: the image comes back inline in the answer. */
export function createGeminiImageClient(settings: { apiKey: string; baseUrl: string }): Connector<ImageOperation, ImagenOptions> {
  return {
    operationSchema: imageOperationSchema,

    async submit(_request, context) {
      return { requestedAt: context.now() };
    },

    async poll(_operation, context, request): Promise<PollResult> {
      const body = await buildImageContent(request, context);
      const url = joinUrl(settings.baseUrl, `/v1beta/models/${encodeURIComponent(request.model)}:generateContent`);
      const response = await callUpstream({ method: 'POST', url, headers: { 'x-goog-api-key': settings.apiKey }, body, timeoutMs: 120_000 });
      const content = contentSchema.safeParse(response.body);
      if (response.status !== 200 || !content.success) throw geminiError(response);
      const { candidates, promptFeedback } = content.data;
      if (promptFeedback?.blockReason) return { status: 'failed', code: 'CONTENT_MODERATION', message: `the prompt was blocked (${promptFeedback.blockReason})`, retryable: false };
      const candidate = candidates?.[0];
      const images = (candidate?.content?.parts ?? []).flatMap((part) => (part.inlineData ? [part.inlineData] : []));
      if (images.length > 0) return { status: 'completed', outputs: images.map((image) => ({ bytes: Buffer.from(image.data, 'base64'), contentType: image.mimeType })) };
      if (candidate?.finishReason && safetyFinishReasons.has(candidate.finishReason))
        return { status: 'failed', code: 'CONTENT_MODERATION', message: `the image was withheld (${candidate.finishReason})`, retryable: false };
      throw new GatewayError('GENERATION_FAILED', `the model answered without an image (${candidate?.finishReason ?? 'no candidate'})`, { retryable: true });
    },
  };
}
