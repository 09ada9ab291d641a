import * as wavefileModule from 'wavefile';
import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { GenerateRequest } from '../../generations/generate-request.ts';
import type { Generation } from '../../generations/generation.ts';
import { hasOption, type OpenAiRegistry, type OutputFiles, providerFor, readOutput } from './openai-media.ts';

const speechFormats = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'] as const;
type SpeechFormat = (typeof speechFormats)[number];

/** `POST /audio/speech` as the `openai` package's `SpeechCreateParams` sends it. */
export const speechBodySchema = z.looseObject({
  model: z.string().min(1),
  input: z.string().min(1).max(20_000),
  voice: z.union([z.string().min(1).max(200), z.object({ id: z.string().min(1).max(200) })]),
  instructions: z.string().max(4096).optional(),
  response_format: z.enum(speechFormats).optional(),
  speed: z.number().min(0.25).max(4).optional(),
  stream_format: z.literal('audio').optional(),
});
export type SpeechBody = z.infer<typeof speechBodySchema>;

export const speechParameters: Record<string, string> = {
  provider: 'model',
  type: 'model',
  'input.text': 'input',
  'input.voice': 'voice',
  'options.model': 'model',
  'options.speed': 'speed',
  'options.outputFormat': 'response_format',
};

const contentTypes: Record<SpeechFormat, string> = { mp3: 'audio/mpeg', opus: 'audio/ogg', aac: 'audio/aac', flac: 'audio/flac', wav: 'audio/wav', pcm: 'audio/pcm' };

/** OpenAI's `pcm`: raw 16-bit little-endian mono samples at 24 kHz. */
const pcmSampleRate = 24_000;

/** wavefile ships CommonJS beside an ES module: loaders disagree on which export holds the class. */
const { WaveFile } = 'WaveFile' in wavefileModule ? wavefileModule : (wavefileModule as unknown as { default: typeof wavefileModule }).default;

/** A provider's `outputFormat` value for each OpenAI format it can make (ElevenLabs' `mp3_44100_128`, `pcm_24000`…). */
function nativeFormats(allowedValues: string[]): Partial<Record<SpeechFormat, string>> {
  const pick = (format: SpeechFormat) => (format === 'pcm' ? allowedValues.find((value) => value === `pcm_${pcmSampleRate}`) : allowedValues.find((value) => value.startsWith(`${format}_`)));
  return Object.fromEntries(speechFormats.flatMap((format) => (pick(format) ? [[format, pick(format)]] : [])));
}

/**
 * The formats this request can be answered in: the sandbox makes WAV (and PCM is WAV without its header); a live
 * provider makes what its `outputFormat` option offers. Nothing else is converted: no encoder is installed.
 */
function formatsFor(allowedValues: string[] | null, mode: 'live' | 'test'): Partial<Record<SpeechFormat, string>> {
  if (mode === 'test') return { wav: 'wav', pcm: 'wav' };
  return allowedValues ? nativeFormats(allowedValues) : {};
}

export function speechRequest(registry: OpenAiRegistry, body: SpeechBody, mode: 'live' | 'test'): GenerateRequest {
  const { definition, options } = providerFor(registry, body.model, 'AUDIO');
  const formatOption = hasOption(options, 'outputFormat');
  const formats = formatsFor(formatOption?.allowedValues ?? null, mode);
  const format = body.response_format;
  if (format && !formats[format]) {
    const offered = Object.keys(formats);
    const choice = offered.length > 0 ? `send one of ${offered.join(', ')}` : 'omit it to get the format the provider makes';
    throw new GatewayError('INVALID_INPUT', `response_format: ${definition.id} cannot make ${format} here; ${choice}`, { details: { field: 'response_format' } });
  }
  const outputFormat = format && mode === 'live' && formatOption ? { outputFormat: formats[format] } : {};
  return {
    type: 'AUDIO',
    provider: definition.id,
    input: { text: body.input, voice: typeof body.voice === 'string' ? body.voice : body.voice.id },
    options: { ...outputFormat, ...(body.speed !== undefined && hasOption(options, 'speed') ? { speed: body.speed } : {}) },
  };
}

function wavToPcm(wav: Uint8Array): Buffer {
  const file = new WaveFile(wav);
  file.toBitDepth('16');
  file.toSampleRate(pcmSampleRate);
  const samples = file.getSamples(true, Int16Array) as unknown as Int16Array;
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
}

/** The spoken audio as the bytes and content type the client asked for. */
export async function speechAudio(generation: Generation, body: SpeechBody, files: OutputFiles): Promise<{ bytes: Buffer; contentType: string }> {
  const url = generation.outputs[0];
  if (!url) throw new GatewayError('GENERATION_FAILED', 'The provider returned no audio', { retryable: true });
  const bytes = await readOutput(files, url);
  const made = generation.metadata?.format;
  const format = body.response_format;
  if (format === 'pcm' && made === 'wav') return { bytes: wavToPcm(bytes), contentType: contentTypes.pcm };
  if (!format) return { bytes, contentType: generation.metadata?.contentType ?? 'application/octet-stream' };
  return { bytes, contentType: contentTypes[format] };
}
