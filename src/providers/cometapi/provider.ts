import { defineRunwayFamilyProvider } from '../runway/runway-family.ts';

/** CometAPI resells Runway's API unchanged under its own key and base URL, so it shares Runway's definition. */
export const cometapiProvider = defineRunwayFamilyProvider({
  id: 'cometapi',
  name: 'Runway via CometAPI',
  description: "Runway's models through CometAPI's Runway-compatible wrapper, billed to a CometAPI key.",
  markup: 1.1,
  defaultBaseUrl: 'https://api.cometapi.com/runwayml',
  // CometAPI can answer "task not exist" for a short while after accepting a task.
  notFoundGraceMs: 60_000,
});
