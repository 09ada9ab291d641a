import { request as undiciRequest } from 'undici';
import { z } from 'zod';
import { pcmToWav } from '../../media/render-media.ts';
import { joinUrl } from '../shared/upstream-errors.ts';
import { unreachableUpstream } from '../shared/upstream-http.ts';
import type { Connector, PollResult } from '../spec.ts';
import { elevenLabsError } from './elevenlabs-failures.ts';
import type { ElevenLabsOptions } from './elevenlabs-options.ts';
import { buildElevenLabsCall } from './elevenlabs-request.ts';

/** ElevenLabs answers synchronously: the operation only records the request; the audio is made at the first poll. */
const elevenLabsOperationSchema = z.object({ requestedAt: z.number() });
type ElevenLabsOperation = z.infer<typeof elevenLabsOperationSchema>;

/** A speech request can run a while for long texts. */
const callTimeoutMs = 120_000;

/** ElevenLabs' synchronous text-to-speech and sound-effect calls: the audio comes back in the response body. */
export function createElevenLabsClient(settings: { apiKey: string; baseUrl: string }): Connector<ElevenLabsOperation, ElevenLabsOptions> {
  return {
    operationSchema: elevenLabsOperationSchema,

    async submit(_request, context) {
      return { requestedAt: context.now() };
    },

    async poll(_operation, context, request): Promise<PollResult> {
      const call = buildElevenLabsCall(request);
      let response: Awaited<ReturnType<typeof undiciRequest>>;
      try {
        response = await undiciRequest(joinUrl(settings.baseUrl, call.path), {
          method: 'POST',
          headers: { 'xi-api-key': settings.apiKey, 'content-type': 'application/json' },
          body: JSON.stringify(call.body),
          signal: AbortSignal.timeout(callTimeoutMs),
        });
      } catch (error) {
        throw unreachableUpstream(error, 'ElevenLabs could not be reached');
      }
      const bytes = new Uint8Array(await response.body.arrayBuffer());
      if (response.statusCode !== 200) {
        let body: unknown = null;
        try {
          body = JSON.parse(Buffer.from(bytes).toString('utf8'));
        } catch {
          // A proxy's text page: the status alone decides.
        }
        throw elevenLabsError({ status: response.statusCode, headers: response.headers, body });
      }
      context.log.debug({ bytes: bytes.length }, 'ElevenLabs made the audio');
      // pcm_* formats are headerless samples: wrap them so the stored file plays.
      const pcmRate = /^pcm_(\d+)$/.exec(request.options.outputFormat)?.[1];
      if (pcmRate) return { status: 'completed', outputs: [{ bytes: pcmToWav(bytes, Number(pcmRate)), contentType: 'audio/wav' }] };
      return { status: 'completed', outputs: [{ bytes, contentType: String(response.headers['content-type'] ?? 'audio/mpeg') }] };
    },
  };
}
