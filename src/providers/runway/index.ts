import { defineProvider, defineRoute, type HostedRoutes, type ProviderDefinition, type Route, type SettingsSpec, type SubmitRequest } from '../spec.ts';
import { createRunwayClient, type RunwayClientSettings } from './runway-client.ts';
import { buildVeoTaskOnRunway, checkVeoOnRunway } from './runway-hosting.ts';
import type { RunwayModel } from './runway-models.ts';
import { describeDurations, modelRules, runwayLimits, runwayModels, runwayVoicePresets } from './runway-models.ts';
import { checkRunwayRequest, type RunwayOptions, runwayOptionsSchema } from './runway-options.ts';
import { quoteRunway, runwayCreditUsd } from './runway-pricing.ts';
import { buildRunwayTask } from './runway-request.ts';
import { cometapiSettings, runwaySettings } from './runway-settings.ts';

/** Our requests for Runway's own models, as Runway task bodies. */
const runwayModelTask = (request: SubmitRequest<RunwayOptions>) => buildRunwayTask(request, request.model as RunwayModel);

/** CometAPI charges this much on top of Runway's list price. */
const cometapiMarkup = 1.1;

/** Runway's API as sold by Runway and by CometAPI (which can answer "task not exist" for a short while after accepting a task). */
const sellers = {
  runway: { settings: runwaySettings, client: { providerName: 'Runway', notFoundGraceMs: 0, usdPerRunwayCredit: runwayCreditUsd } },
  cometapi: { settings: cometapiSettings, client: { providerName: 'CometAPI', notFoundGraceMs: 60_000, usdPerRunwayCredit: runwayCreditUsd * cometapiMarkup } },
};

/** A route over Runway's task API at one seller, making requests (with the options of the provider it runs) with `buildTask`. */
function runwayApiRoute<Options>(
  seller: keyof typeof sellers,
  buildTask: RunwayClientSettings<Options>['buildTask'],
  checkRequest?: Route<SettingsSpec, Options>['checkRequest'],
): Route<SettingsSpec, Options> {
  const { settings, client } = sellers[seller];
  return defineRoute({
    id: seller,
    settings,
    chargesModeratedInput: true,
    takesUploads: true,
    polling: runwayPolling,
    checkRequest,
    connect: ({ apiKey, baseUrl }) => createRunwayClient({ ...client, apiKey, baseUrl, buildTask }),
  });
}

const runwayPolling = { initialDelayMs: 5000, intervalMs: 5000, maxIntervalMs: 30_000, followsEstimate: true };
const runwayRoute = runwayApiRoute('runway', runwayModelTask);
const cometapiRoute = runwayApiRoute('cometapi', runwayModelTask);
/** Runway (and CometAPI) host Veo 3.1, so `veo` can run on either when Google's own API is not configured. */
const hostedRoutes = { veo: [runwayApiRoute('runway', buildVeoTaskOnRunway, checkVeoOnRunway), runwayApiRoute('cometapi', buildVeoTaskOnRunway, checkVeoOnRunway)] };

const mb = (bytes: number) => `${bytes / 1024 / 1024} MB`;
const limitations = [
  `Video ${describeDurations(modelRules('gen4.5', 'text_to_video').durations!)} with gen4.5 (Veo 3.1: ${describeDurations(modelRules('veo3.1', 'text_to_video').durations!)}; other models up to 15)`,
  `Prompt at most ${runwayLimits.promptText} characters`,
  `Input media as HTTPS URLs (at most ${runwayLimits.uri} characters) or data URIs up to ${mb(runwayLimits.dataUriBytes)}`,
  `Video-to-video takes at most ${runwayLimits.keyframes} reference images (as keyframes)`,
  'Output URLs expire upstream within 24-48 hours; the gateway keeps its own copy',
];

/** Runway's API as Runway sells it, and as resellers of the same API (CometAPI) do. */
function runwayApiProvider(member: { id: string; name: string; description: string; markup: number; routes: Route<SettingsSpec, RunwayOptions>[]; hostedRoutes?: HostedRoutes }): ProviderDefinition {
  return defineProvider<RunwayOptions>({
    id: member.id,
    name: member.name,
    description: member.description,
    types: ['VIDEO', 'IMAGE', 'AUDIO'],
    models: [...runwayModels],
    features: ['Text to video (gen4.5, Veo 3.1)', 'Image to video', 'Video to video (aleph2)', 'Text to image', 'Text to speech and sound effects'],
    limitations,
    qualityScore: 8,
    voices: runwayVoicePresets.map((preset) => ({ id: preset, name: preset })),
    optionsSchema: runwayOptionsSchema,
    checkInput: checkRunwayRequest,
    quote: (request) => quoteRunway(request, member.markup),
    polling: runwayPolling,
    routes: member.routes,
    hostedRoutes: member.hostedRoutes,
  });
}

export const runwayProvider = runwayApiProvider({
  id: 'runway',
  name: 'Runway',
  description: 'Runway gen4.5, gen4_turbo, aleph2 and Veo 3.1: cinematic text-to-video, image animation, video-to-video, images and speech.',
  markup: 1,
  // Runway's own API first; CometAPI resells the same models when only its key is configured.
  routes: [runwayRoute, cometapiRoute],
  hostedRoutes,
});

export const cometapiProvider = runwayApiProvider({
  id: 'cometapi',
  name: 'Runway via CometAPI',
  description: "Runway's models through CometAPI's Runway-compatible wrapper, billed to a CometAPI key.",
  markup: cometapiMarkup,
  routes: [cometapiRoute],
});
