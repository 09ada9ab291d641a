import { elevenLabsProvider } from './elevenlabs/index.ts';
import { fluxDevProvider, fluxKontextProvider, fluxProProvider, fluxUltraProvider } from './flux/index.ts';
import { imagenProvider, veoProvider } from './google/index.ts';
import { heygenProvider } from './heygen/index.ts';
import { klingProvider } from './kling/index.ts';
import { lumaProvider } from './luma/index.ts';
import { minimaxProvider } from './minimax/index.ts';
import { cometapiProvider, runwayProvider } from './runway/index.ts';
import { sandboxProvider } from './sandbox/index.ts';
import type { ProviderDefinition } from './spec.ts';

/** Every provider genway offers. Adding one: its folder, one line here, its fake in test/fakes/, its tests. */
export const builtInProviders: ProviderDefinition[] = [
  runwayProvider,
  cometapiProvider,
  klingProvider,
  minimaxProvider,
  lumaProvider,
  veoProvider,
  fluxDevProvider,
  fluxProProvider,
  fluxUltraProvider,
  fluxKontextProvider,
  imagenProvider,
  elevenLabsProvider,
  heygenProvider,
  sandboxProvider,
];
