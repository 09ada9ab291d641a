import { defineProvider, defineRoute, type ProviderDefinition, type Route } from '../spec.ts';
import { createRunwayClient } from './runway-client.ts';
import { describeDurations, runwayLimits, runwayModelRules, runwayModels } from './runway-models.ts';
import { checkRunwayRequest, runwayOptionsSchema, type RunwayOptions } from './runway-options.ts';
import { quoteRunway, runwayCreditUsd } from './runway-pricing.ts';
import { cometapiSettings, runwaySettings } from './runway-settings.ts';

const runwayRoute = defineRoute({
  id: 'runway',
  settings: runwaySettings,
  chargesModeratedInput: true,
  connect: ({ apiKey, baseUrl }) => createRunwayClient({ providerName: 'Runway', baseUrl, apiKey, notFoundGraceMs: 0, usdPerRunwayCredit: runwayCreditUsd }),
});

/** CometAPI charges this much on top of Runway's list price. */
const cometapiMarkup = 1.1;

const cometapiRoute = defineRoute({
  id: 'cometapi',
  settings: cometapiSettings,
  chargesModeratedInput: true,
  // CometAPI can answer "task not exist" for a short while after accepting a task.
  connect: ({ apiKey, baseUrl }) => createRunwayClient({ providerName: 'CometAPI', baseUrl, apiKey, notFoundGraceMs: 60_000, usdPerRunwayCredit: runwayCreditUsd * cometapiMarkup }),
});

const mb = (bytes: number) => `${bytes / 1024 / 1024} MB`;
const limitations = [
  `Video ${describeDurations(runwayModelRules['gen4.5'].durations)} (Veo 3.1: ${describeDurations(runwayModelRules['veo3.1'].durations)})`,
  `Prompt at most ${runwayLimits.promptText} characters`,
  `Input media as HTTPS URLs (at most ${runwayLimits.uri} characters) or data URIs up to ${mb(runwayLimits.dataUriBytes)}`,
  `Video-to-video takes at most ${runwayLimits.keyframes} reference images (as keyframes)`,
  'Output URLs expire upstream within 24-48 hours; the gateway keeps its own copy',
];

/** Runway's API as Runway sells it, and as resellers of the same API (CometAPI) do. */
function runwayApiProvider(member: { id: string; name: string; description: string; markup: number; routes: Route[] }): ProviderDefinition {
  return defineProvider<RunwayOptions>({
    id: member.id,
    name: member.name,
    description: member.description,
    types: ['VIDEO', 'IMAGE', 'AUDIO'],
    models: [...runwayModels],
    features: ['Text to video (gen4.5, Veo 3.1)', 'Image to video', 'Video to video (aleph2)', 'Text to image', 'Text to speech and sound effects'],
    limitations,
    qualityScore: 8,
    optionsSchema: runwayOptionsSchema,
    checkInput: checkRunwayRequest,
    quote: (request) => quoteRunway(request, member.markup),
    polling: { initialDelayMs: 5000, intervalMs: 5000, maxIntervalMs: 30_000 },
    routes: member.routes,
  });
}

export const runwayProvider = runwayApiProvider({
  id: 'runway',
  name: 'Runway',
  description: 'Runway gen4.5, gen4_turbo, aleph2 and Veo 3.1: cinematic text-to-video, image animation, video-to-video, images and speech.',
  markup: 1,
  // Runway's own API first; CometAPI resells the same models when only its key is configured.
  routes: [runwayRoute, cometapiRoute],
});

export const cometapiProvider = runwayApiProvider({
  id: 'cometapi',
  name: 'Runway via CometAPI',
  description: "Runway's models through CometAPI's Runway-compatible wrapper, billed to a CometAPI key.",
  markup: cometapiMarkup,
  routes: [cometapiRoute],
});
