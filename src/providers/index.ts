import { elevenLabsProvider } from './elevenlabs/index.ts';
import { falHost } from './fal/index.ts';
import { fluxDevProvider, fluxKontextProvider, fluxProProvider, fluxUltraProvider } from './flux/index.ts';
import { imagenProvider, veoProvider } from './google/index.ts';
import { heygenProvider } from './heygen/index.ts';
import { klingProvider } from './kling/index.ts';
import { lumaProvider } from './luma/index.ts';
import { minimaxProvider } from './minimax/index.ts';
import { motionTransferProvider } from './motion-transfer/index.ts';
import { omnihumanProvider } from './omnihuman/index.ts';
import { replicateHost } from './replicate/index.ts';
import { cometapiProvider, runwayProvider } from './runway/index.ts';
import { sandboxProvider } from './sandbox/index.ts';
import { seedanceProvider } from './seedance/index.ts';
import { seedreamProvider } from './seedream/index.ts';
import type { Host, ProviderDefinition } from './spec.ts';

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
  seedanceProvider,
  seedreamProvider,
  omnihumanProvider,
  motionTransferProvider,
  sandboxProvider,
];

/** Upstreams that only host other providers' models. Adding one: its folder, one line here, its fake, its tests. */
export const builtInHosts: Host[] = [falHost, replicateHost];
