import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paletteFor } from '../../src/media/palette.ts';
import { renderPng } from '../../src/media/render-media.ts';
import { uploadUriFor } from '../../src/uploads/upload-uri.ts';
import { type FakeRunway, startFakeRunway } from '../fakes/fake-runway.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

const runwayVersion = '2024-11-06';
const png = Buffer.from(renderPng(32, 32, paletteFor('avatar', 1)));

describe('hardening #8: avatar referenceImage', () => {
  let runway: FakeRunway;
  let harness: TestGateway;
  let owner: { accountId: string; liveKey: string; testKey: string };
  let stranger: { accountId: string; liveKey: string; testKey: string };

  beforeAll(async () => {
    runway = await startFakeRunway({ apiKey: 'key_avatar_hardening' });
    harness = await startTestGateway({ ALLOW_PRIVATE_URLS: 'false', RUNWAY_API_KEY: 'key_avatar_hardening', RUNWAY_BASE_URL: runway.url });
    owner = await harness.createAccount();
    stranger = await harness.createAccount();
  });
  afterAll(async () => {
    await harness.close();
    await runway.close();
  });

  /** An upload kept for `accountId`, as its runway:// URI. */
  async function uploadFor(accountId: string): Promise<string> {
    const { id, token } = await harness.gateway.uploads.begin(accountId, 'face.png');
    await harness.gateway.uploads.receive(id, token, Readable.from([png]));
    return uploadUriFor(id);
  }

  const send = (method: 'POST' | 'PATCH', url: string, key: string, payload: Record<string, unknown>) =>
    harness.app.inject({ method, url: `/runway${url}`, headers: { authorization: `Bearer ${key}`, 'x-runway-version': runwayVersion }, payload });

  const createAvatar = (key: string, referenceImage: string) =>
    send('POST', '/v1/avatars', key, { name: 'Ada', personality: 'Curious.', referenceImage, voice: { type: 'runway-live-preset', presetId: 'clara' } });

  it('refuses the cloud metadata address with INVALID_INPUT naming referenceImage', async () => {
    const answer = await createAvatar(owner.testKey, 'https://169.254.169.254/latest/meta-data/');
    expect([answer.statusCode, answer.json()]).toMatchObject([400, { code: 'INVALID_INPUT', field: 'referenceImage' }]);
  });

  it('refuses a loopback address with INVALID_INPUT naming referenceImage', async () => {
    const answer = await createAvatar(owner.testKey, 'https://127.0.0.1/face.png');
    expect([answer.statusCode, answer.json()]).toMatchObject([400, { code: 'INVALID_INPUT', field: 'referenceImage' }]);
  });

  it("refuses another account's upload with NOT_FOUND naming referenceImage", async () => {
    const answer = await createAvatar(owner.testKey, await uploadFor(stranger.accountId));
    expect([answer.statusCode, answer.json()]).toMatchObject([404, { code: 'NOT_FOUND', field: 'referenceImage' }]);
  });

  it("accepts the account's own upload", async () => {
    const answer = await createAvatar(owner.testKey, await uploadFor(owner.accountId));
    expect(answer.statusCode).toBe(200);
  });

  it('refuses the metadata address on update too', async () => {
    const created = await createAvatar(owner.testKey, 'https://example.com/ada.png');
    const answer = await send('PATCH', `/v1/avatars/${created.json().id}`, owner.testKey, { referenceImage: 'https://169.254.169.254/latest/meta-data/' });
    expect([answer.statusCode, answer.json()]).toMatchObject([400, { code: 'INVALID_INPUT', field: 'referenceImage' }]);
  });

  it('refuses a live key the loopback address before anything reaches Runway', async () => {
    const answer = await createAvatar(owner.liveKey, 'https://127.0.0.1/face.png');
    expect([answer.statusCode, answer.json()]).toMatchObject([400, { code: 'INVALID_INPUT', field: 'referenceImage' }]);
    expect(runway.posts().filter((post) => post.path === '/v1/avatars')).toEqual([]);
  });

  it("refuses a live key another account's upload before anything reaches Runway", async () => {
    const answer = await createAvatar(owner.liveKey, await uploadFor(stranger.accountId));
    expect([answer.statusCode, answer.json()]).toMatchObject([404, { code: 'NOT_FOUND', field: 'referenceImage' }]);
    expect(runway.posts().filter((post) => post.path === '/v1/avatars')).toEqual([]);
  });
});
