import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runwayApiVersion } from '../src/providers/runway/runway-models.ts';
import { repositoryRoot } from './support/processes.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

const sourceRoot = path.join(repositoryRoot, 'src');

/** The folders every surface and provider builds on, which must not know what only the Runway surface means. */
const coreFolders = ['generations', 'billing', 'uploads', 'jobs', 'webhooks'];

/** The one file that spells upload URIs (Runway's spelling, which every surface accepts). */
const uploadUriFile = 'uploads/upload-uri.ts';

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** A file's code without its comments, so what is checked is what runs (and what clients read). */
const codeOf = (file: string) =>
  readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');

const coreFiles = () => coreFolders.flatMap((folder) => sourceFiles(path.join(sourceRoot, folder))).map((file) => path.relative(sourceRoot, file));

describe("the core's files", () => {
  it('spell an upload URI nowhere but in the uploads module that owns it', () => {
    const spelling = coreFiles().filter((file) => file !== uploadUriFile && codeOf(path.join(sourceRoot, file)).includes('runway://'));
    expect(spelling).toEqual([]);
  });

  it("hold no account's Runway-compatible settings", () => {
    const holding = coreFiles().filter((file) => /runwayCompatible/i.test(codeOf(path.join(sourceRoot, file))));
    expect(holding).toEqual([]);
  });

  it("leave Runway's resource wiring to the Runway surface: the gateway's wiring imports no Runway provider module", () => {
    const imports = [...readFileSync(path.join(sourceRoot, 'gateway.ts'), 'utf8').matchAll(/from\s+'([^']+)'/g)].map((match) => match[1]!);
    expect(imports.filter((specifier) => specifier.includes('providers/runway/'))).toEqual([]);
  });
});

describe("an account's choice of provider for the Runway-compatible API", () => {
  let harness: TestGateway;
  beforeAll(async () => {
    harness = await startTestGateway({}, { worker: false });
  });
  afterAll(() => harness.close());

  it('is not part of the generic account record', async () => {
    const { accountId } = await harness.createAccount();
    await harness.gateway.runwayAccounts.setProvider(accountId, 'sandbox');
    expect(await harness.gateway.runwayAccounts.provider(accountId)).toBe('sandbox');
    expect(Object.keys((await harness.gateway.accounts.get(accountId))!)).not.toContain('runwayCompatibleProvider');
  });

  it('made before the Runway store existed (a field of the account hash) still sends its Runway tasks there', async () => {
    const { accountId, liveKey } = await harness.createAccount({ credits: 1000 });
    await harness.gateway.redis.hset(harness.gateway.keys.account(accountId), 'runwayCompatibleProvider', 'sandbox');
    expect(await harness.gateway.runwayAccounts.provider(accountId)).toBe('sandbox');
    const created = await harness.app.inject({
      method: 'POST',
      url: '/runway/v1/text_to_image',
      headers: { authorization: `Bearer ${liveKey}`, 'x-runway-version': runwayApiVersion },
      payload: { model: 'gen4_image', promptText: 'routed by an old setting', ratio: '1024:1024' },
    });
    expect(created.statusCode).toBe(200);
    expect(await harness.gateway.repository.get(created.json().id)).toMatchObject({ provider: 'sandbox', mode: 'live' });
  });

  it('is refused for an account that does not exist, and creates none', async () => {
    expect(await harness.gateway.runwayAccounts.setProvider('acct_missing', 'sandbox')).toBe(false);
    expect(await harness.gateway.accounts.get('acct_missing')).toBeNull();
  });
});
