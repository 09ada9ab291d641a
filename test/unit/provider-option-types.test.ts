import { describe, expectTypeOf, it } from 'vitest';
import type { FalModel } from '../../src/providers/fal/fal-client.ts';
import { falModels, klingTierOf } from '../../src/providers/fal/fal-models.ts';
import type { FluxDevOptions, FluxKontextOptions, FluxProOptions, FluxUltraOptions } from '../../src/providers/flux/flux-options.ts';
import type { VeoOptions } from '../../src/providers/google/veo-options.ts';
import type { KlingOptions } from '../../src/providers/kling/kling-options.ts';
import type { LumaOptions } from '../../src/providers/luma/luma-options.ts';
import type { MinimaxOptions } from '../../src/providers/minimax/minimax-options.ts';
import type { MotionTransferOptions } from '../../src/providers/motion-transfer/motion-transfer-options.ts';
import type { OmnihumanOptions } from '../../src/providers/omnihuman/omnihuman-options.ts';
import { replicateModels } from '../../src/providers/replicate/replicate-models.ts';
import type { SeedanceOptions } from '../../src/providers/seedance/seedance-options.ts';
import type { SeedreamOptions } from '../../src/providers/seedream/seedream-options.ts';
import type { HostedProviderOptions, OptionsOf, SubmitRequest } from '../../src/providers/spec.ts';

/*
 * Type-level cases: `npx tsc --noEmit` (the first step of `npm test`) checks them; at run time they pass trivially.
 * They hold the hosts (fal, Replicate) to the options each hosted provider's own schema parses.
 */

describe('hosted providers’ options at the provider seam', () => {
  it('registers each hosted provider’s options under its own id, as its schema parses them', () => {
    expectTypeOf<HostedProviderOptions>().toEqualTypeOf<{
      seedance: SeedanceOptions;
      seedream: SeedreamOptions;
      omnihuman: OmnihumanOptions;
      'motion-transfer': MotionTransferOptions;
      kling: KlingOptions;
      minimax: MinimaxOptions;
      luma: LumaOptions;
      'flux-dev': FluxDevOptions;
      'flux-pro': FluxProOptions;
      'flux-ultra': FluxUltraOptions;
      'flux-kontext': FluxKontextOptions;
      veo: VeoOptions;
    }>();
  });

  it('hands the fal host’s Kling mapping exactly the options Kling’s schema parses', () => {
    expectTypeOf(falModels.kling.path).parameter(0).toEqualTypeOf<SubmitRequest<KlingOptions>>();
    expectTypeOf(falModels.kling.input).parameter(0).toEqualTypeOf<SubmitRequest<KlingOptions>>();
    expectTypeOf(klingTierOf).parameter(0).toEqualTypeOf<Pick<KlingOptions, 'model' | 'mode'>>();
  });

  it('hands the Replicate host’s Kling mapping exactly the options Kling’s schema parses', () => {
    expectTypeOf(replicateModels.kling.input).parameter(0).toEqualTypeOf<SubmitRequest<KlingOptions>>();
  });

  it('does not compile a fal mapping that reads a Kling option by a name Kling’s schema does not have', () => {
    const renamed: FalModel<OptionsOf<'kling'>> = {
      path: () => 'fal-ai/kling-video/v1.6/standard/text-to-video',
      // @ts-expect-error Kling's option is `cfgScale`: renaming it on either side breaks the host's mapping at compile time.
      input: ({ options }) => ({ cfg_scale: options.cfg }),
    };
    expectTypeOf(renamed.input).parameter(0).toEqualTypeOf<SubmitRequest<KlingOptions>>();
  });
});
