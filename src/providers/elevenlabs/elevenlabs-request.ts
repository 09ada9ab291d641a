import type { GenerationRequest } from '../spec.ts';
import { type ElevenLabsOptions, elevenLabsVoices, soundEffectLimits } from './elevenlabs-options.ts';

/** How each delivery style sets ElevenLabs' voice settings: lower stability and more style are livelier. */
const emotionSettings: Record<ElevenLabsOptions['emotion'], { stability: number; style: number }> = {
  neutral: { stability: 0.5, style: 0 },
  calm: { stability: 0.75, style: 0.1 },
  happy: { stability: 0.4, style: 0.4 },
  excited: { stability: 0.3, style: 0.6 },
  sad: { stability: 0.6, style: 0.3 },
  angry: { stability: 0.3, style: 0.7 },
  whisper: { stability: 0.8, style: 0.2 },
};

/** `input.voice` wins over the option; a premade voice's name becomes its id, anything else is taken as an id. */
export function voiceIdOf({ input, options }: GenerationRequest<ElevenLabsOptions>): string {
  const voice = input.voice ?? options.voice;
  return elevenLabsVoices[voice.toLowerCase()] ?? voice;
}

/** The path, query and body of the call that makes the audio (the `@elevenlabs/elevenlabs-js` SDK's shapes). */
export function buildElevenLabsCall(request: GenerationRequest<ElevenLabsOptions>): { path: string; body: Record<string, unknown> } {
  const { input, options } = request;
  const query = `?output_format=${encodeURIComponent(options.outputFormat)}`;
  if (options.task === 'sound-effect') {
    const duration = options.duration === undefined ? {} : { duration_seconds: options.duration };
    return { path: `/v1/sound-generation${query}`, body: { text: input.text, model_id: soundEffectLimits.model, prompt_influence: options.promptInfluence, loop: options.loop, ...duration } };
  }
  const emotion = emotionSettings[options.emotion];
  const voiceSettings = { stability: options.stability ?? emotion.stability, similarity_boost: options.similarityBoost ?? 0.75, style: emotion.style, speed: options.speed };
  return { path: `/v1/text-to-speech/${encodeURIComponent(voiceIdOf(request))}${query}`, body: { text: input.text, model_id: options.model, voice_settings: voiceSettings } };
}
