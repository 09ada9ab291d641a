import { z } from 'zod';
import { renderOutput, type Send, startFakeServer } from './fake-server.ts';

/**
 * A fake of ElevenLabs' synchronous audio API, written from `@elevenlabs/elevenlabs-js` (its request types and
 * environments) and ElevenLabs' help centre (model character limits, error statuses): `xi-api-key`, audio bytes in
 * the response in the `output_format` asked for (real MP3, WAV, or raw PCM), and `{ detail: { status, message } }`
 * errors.
 */
export const fakeVoices = ['21m00Tcm4TlvDq8ikWAM', 'pNInz6obpgDQGcFmaJgB', 'EXAVITQu4vr4xnSDxMaL'];
const characterLimits: Record<string, number> = { eleven_multilingual_v2: 10_000, eleven_v3: 5_000, eleven_flash_v2_5: 40_000, eleven_turbo_v2_5: 40_000 };
const outputFormat = z.string().regex(/^(mp3_\d+_\d+|pcm_\d+|wav_\d+|opus_\d+_\d+|ulaw_8000|alaw_8000)$/);

const speechBody = z.looseObject({
  text: z.string().min(1),
  model_id: z.string().optional(),
  voice_settings: z
    .strictObject({
      stability: z.number().min(0).max(1).optional(),
      similarity_boost: z.number().min(0).max(1).optional(),
      style: z.number().min(0).max(1).optional(),
      use_speaker_boost: z.boolean().optional(),
      speed: z.number().min(0.7).max(1.2).optional(),
    })
    .optional(),
  seed: z.number().int().min(0).max(4_294_967_295).optional(),
});
const soundBody = z.strictObject({
  text: z.string().min(1),
  duration_seconds: z.number().min(0.5).max(30).optional(),
  prompt_influence: z.number().min(0).max(1).optional(),
  loop: z.boolean().optional(),
  model_id: z.literal('eleven_text_to_sound_v2').optional(),
});

const detail = (send: Send, http: number, status: string, message: string) => send(http, { detail: { status, message } });

/** One second of headerless 16-bit little-endian mono samples at `rate`, as the pcm_* formats are. */
function pcmTone(rate: number): Uint8Array {
  const pcm = Buffer.alloc(rate * 2);
  for (let index = 0; index < rate; index++) pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * index) / rate)), index * 2);
  return pcm;
}

/** The bytes and content type ElevenLabs answers for an output format. */
async function audioFor(format: string): Promise<{ bytes: Uint8Array; contentType: string }> {
  if (format.startsWith('wav_')) return { bytes: await renderOutput('wav'), contentType: 'audio/wav' };
  if (format.startsWith('pcm_')) return { bytes: pcmTone(Number(format.slice('pcm_'.length))), contentType: 'audio/pcm' };
  return { bytes: await renderOutput('mp3'), contentType: 'audio/mpeg' };
}

export async function startFakeElevenLabs(options: { apiKey: string }) {
  const server = await startFakeServer({
    async handle(request, send) {
      if (request.headers['xi-api-key'] !== options.apiKey) return detail(send, 401, 'invalid_api_key', 'Invalid API key');
      const format = request.query.get('output_format') ?? 'mp3_44100_128';
      if (!outputFormat.safeParse(format).success) return detail(send, 422, 'invalid_output_format', `unknown output_format ${format}`);
      const speech = /^\/v1\/text-to-speech\/([^/]+)$/.exec(request.path);
      if (request.method === 'POST' && speech) {
        if (!fakeVoices.includes(speech[1]!)) return detail(send, 400, 'voice_not_found', `A voice with the voice_id ${speech[1]} was not found.`);
        const parsed = speechBody.safeParse(request.body);
        if (!parsed.success) return send(422, { detail: parsed.error.issues.map((issue) => ({ loc: ['body', ...issue.path], msg: issue.message })) });
        const limit = characterLimits[parsed.data.model_id ?? 'eleven_multilingual_v2'] ?? 10_000;
        if (parsed.data.text.length > limit) return detail(send, 400, 'max_character_limit_exceeded', `Text is ${parsed.data.text.length} characters; the limit is ${limit}.`);
        const audio = await audioFor(format);
        return send(200, audio.bytes, { 'content-type': audio.contentType });
      }
      if (request.method === 'POST' && request.path === '/v1/sound-generation') {
        const parsed = soundBody.safeParse(request.body);
        if (!parsed.success) return send(422, { detail: parsed.error.issues.map((issue) => ({ loc: ['body', ...issue.path], msg: issue.message })) });
        const audio = await audioFor(format);
        return send(200, audio.bytes, { 'content-type': audio.contentType });
      }
      send(404, { detail: 'Not Found' });
    },
  });

  return {
    ...server,
    url: server.origin,
    calls: () => server.requests.filter((request) => request.method === 'POST'),
  };
}

export type FakeElevenLabs = Awaited<ReturnType<typeof startFakeElevenLabs>>;
