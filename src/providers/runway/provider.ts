import { defineRunwayFamilyProvider } from './runway-family.ts';

export const runwayProvider = defineRunwayFamilyProvider({
  id: 'runway',
  name: 'Runway',
  description: 'Runway Gen-2, Gen-3 and Gen-4: cinematic text-to-video, image animation with motion control, video-to-video, images and speech.',
  markup: 1,
  defaultBaseUrl: 'https://api.dev.runwayml.com',
  notFoundGraceMs: 0,
});
