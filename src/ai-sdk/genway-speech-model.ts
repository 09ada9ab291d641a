import type { SharedV3Warning, SpeechModelV3, SpeechModelV3CallOptions } from '@ai-sdk/provider';
import { type GenwayModelContext, generateFiles, genwayOptionsOf, responseOf, unsupported } from './genway-generation.ts';

/** genway's speech providers; any other provider id is passed on for the gateway to judge. */
export type GenwaySpeechModelId = 'elevenlabs' | 'runway' | 'cometapi' | 'sandbox' | (string & {});

// Settings of the SDK's speech call that genway's unified request has no field for.
const unsupportedSettings = ['outputFormat', 'instructions', 'speed', 'language'] as const;

export class GenwaySpeechModel implements SpeechModelV3 {
  readonly specificationVersion = 'v3';
  readonly provider = 'genway.speech';

  constructor(
    readonly modelId: GenwaySpeechModelId,
    private readonly context: GenwayModelContext,
  ) {}

  async doGenerate(call: SpeechModelV3CallOptions): Promise<Awaited<ReturnType<SpeechModelV3['doGenerate']>>> {
    const warnings: SharedV3Warning[] = unsupportedSettings
      .filter((setting) => call[setting] !== undefined)
      .map((setting) => unsupported(setting, 'genway has no such setting; pass provider options in providerOptions.genway'));
    const { generation, files } = await generateFiles(
      this.context,
      { type: 'AUDIO', provider: this.modelId, input: { text: call.text, voice: call.voice }, options: genwayOptionsOf(call.providerOptions) },
      call,
      { 'input.text': 'text', 'input.voice': 'voice' },
    );
    return {
      audio: files[0]?.bytes ?? new Uint8Array(),
      warnings,
      providerMetadata: { genway: { generationId: generation.id, creditCost: generation.creditCost } },
      response: responseOf(this.modelId, generation),
    };
  }
}
