import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without type declarations
import { readRunwayCatalog } from '../scripts/runway-catalog.mjs';
import { runwayCatalog, runwaySdkVersion } from '../src/providers/runway/runway-catalog.ts';
import { modelRules, type RunwayModel, ratioFor, runwayModels } from '../src/providers/runway/runway-models.ts';

describe("Runway's model catalog, read from the installed @runwayml/sdk type files", () => {
  it('matches the SDK installed now (run `npm run runway-catalog` after upgrading it)', () => {
    const fromSdk = readRunwayCatalog();
    expect(runwaySdkVersion).toBe(fromSdk.version);
    expect(JSON.parse(JSON.stringify(runwayCatalog))).toEqual(fromSdk.catalog);
  });

  it('lists every current video, image and audio model and none of the retired ones', () => {
    expect(runwayModels).toEqual(expect.arrayContaining(['gen4.5', 'gen4_turbo', 'veo3.1', 'seedance2', 'wan3', 'aleph2', 'gpt_image_2', 'eleven_v3', 'eleven_voice_dubbing']));
    for (const retired of ['gen3a_turbo', 'gen4_aleph', 'veo3']) expect(runwayModels).not.toContain(retired);
  });

  it("maps a shape to each model's own pixel ratio: 720p-class for video, 1080p-class for images", () => {
    const cases: Array<[RunwayModel, 'text_to_video' | 'image_to_video' | 'text_to_image', string, string]> = [
      ['gen4.5', 'text_to_video', '16:9', '1280:720'],
      ['gen4.5', 'image_to_video', '21:9', '1584:672'],
      ['seedance2', 'text_to_video', '1:1', '960:960'],
      ['seedance2', 'text_to_video', '9:16', '720:1280'],
      ['wan3', 'image_to_video', '4:3', '1104:832'],
      ['gen4_image', 'text_to_image', '1:1', '1024:1024'],
      ['seedream5_pro', 'text_to_image', '16:9', ratioFor(modelRules('seedream5_pro', 'text_to_image'), '16:9')!],
    ];
    for (const [model, endpoint, shape, pixels] of cases) expect(ratioFor(modelRules(model, endpoint), shape), `${model} ${endpoint} ${shape}`).toBe(pixels);
    expect(Math.min(...ratioFor(modelRules('seedream5_pro', 'text_to_image'), '16:9')!.split(':').map(Number))).toBeGreaterThanOrEqual(1080);
  });
});
