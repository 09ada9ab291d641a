import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../src/billing/api-keys.ts';
import { freePort } from './support/free-port.ts';
import { exited, spawnEntryPoint } from './support/processes.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';
import { waitUntil } from './support/wait-until.ts';

const waitForHealth = (baseUrl: string) => waitUntil(async () => (await fetch(`${baseUrl}/healthz`)).status === 200, `${baseUrl} becoming healthy`, 20_000);

describe('npm start on a fresh machine (no configuration)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'genway-start-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("starts its own Redis, prints a dev test key with a curl, completes that curl's generation, and cleans up on SIGTERM", async () => {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const gateway = spawnEntryPoint('src/main.ts', { PORT: String(port), DATA_DIR: dataDir, SANDBOX_LATENCY_MS: '300', LOG_LEVEL: 'warn' });
    try {
      await waitForHealth(baseUrl);
      while (!/gw_test_\w+/.test(gateway.output())) await sleep(50);
      const testKey = /gw_test_\w+/.exec(gateway.output())![0];
      const printedCurl = /-d '(\{.*\})'/.exec(gateway.output())![1]!;
      const created = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${testKey}` }, body: printedCurl });
      const generation = ((await created.json()) as { data: { generate: { id: string } } }).data.generate;
      expect(generation).toMatchObject({ status: 'QUEUED', provider: 'runway' });

      let status = '';
      let url = '';
      for (let attempt = 0; attempt < 100 && status !== 'COMPLETED'; attempt++) {
        await sleep(100);
        const polled = await fetch(`${baseUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${testKey}` },
          body: JSON.stringify({ query: `{ generation(id: "${generation.id}") { status url metadata { format width height } } }` }),
        });
        ({ status, url } = ((await polled.json()) as { data: { generation: { status: string; url: string } } }).data.generation);
      }
      expect(status).toBe('COMPLETED');
      const file = await fetch(url);
      expect(file.headers.get('content-type')).toBe('video/mp4');
      expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    } finally {
      gateway.kill('SIGTERM');
    }
    expect(await exited(gateway)).toBe(0);
    const socket = new Redis(path.join(dataDir, 'redis', 'redis.sock'), { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    socket.on('error', () => {});
    await expect(socket.connect()).rejects.toThrow();
    socket.disconnect();
  });

  it('exits with one clear line when redis-server is missing and REDIS_URL is unset', async () => {
    const emptyPath = await mkdtemp(path.join(os.tmpdir(), 'genway-nopath-'));
    const child = spawnEntryPoint('src/main.ts', { PATH: emptyPath, DATA_DIR: dataDir, PORT: String(await freePort()) });
    expect(await exited(child)).toBe(1);
    expect(child.output().trim().split('\n')).toHaveLength(1);
    expect(child.output()).toMatch(/redis-server.*apt-get install -y redis-server.*REDIS_URL/);
    await rm(emptyPath, { recursive: true, force: true });
  });

  it('refuses a bad setting, naming it', async () => {
    const child = spawnEntryPoint('src/main.ts', { PORT: 'eighty', DATA_DIR: dataDir });
    expect(await exited(child)).toBe(1);
    expect(child.output()).toMatch(/^genway: invalid configuration: PORT: /);
  });
});

describe('the admin CLI', () => {
  let harness: TestGateway;
  beforeAll(async () => {
    harness = await startTestGateway({}, { worker: false });
  });
  afterAll(() => harness.close());

  async function admin(...args: string[]) {
    const child = spawnEntryPoint('src/cli/admin.ts', { REDIS_URL: harness.config.REDIS_URL!, REDIS_PREFIX: harness.config.REDIS_PREFIX }, args);
    const code = await exited(child);
    return { code, output: child.output() };
  }

  it('creates an account with one JSON line of keys, shows it, credits it and rolls its keys', async () => {
    const created = await admin('accounts', 'create', '--name', 'acme', '--plan', 'pro', '--credits', '1000', '--json');
    expect(created.code).toBe(0);
    expect(created.output.trim().split('\n')).toHaveLength(1);
    const credentials = JSON.parse(created.output);
    expect(Object.keys(credentials).sort()).toEqual(['accountId', 'liveKey', 'testKey', 'webhookSecret']);
    expect(credentials.liveKey).toMatch(/^gw_live_/);
    expect(credentials.testKey).toMatch(/^gw_test_/);
    expect(credentials.webhookSecret).toMatch(/^whsec_/);
    const stored = JSON.stringify(await harness.gateway.redis.hgetall(harness.gateway.keys.account(credentials.accountId)));
    expect(stored).not.toContain(credentials.liveKey);
    expect(stored).not.toContain(credentials.testKey);

    const account = await harness.graphql({ key: credentials.liveKey, query: '{ account { name plan credits } }' });
    expect(account.body.data.account).toEqual({ name: 'acme', plan: 'pro', credits: 1000 });

    const shown = JSON.parse((await admin('accounts', 'show', credentials.accountId, '--json')).output);
    expect(shown).toMatchObject({ id: credentials.accountId, name: 'acme', plan: 'pro', credits: 1000 });
    expect(JSON.stringify(shown)).not.toContain(credentials.webhookSecret);

    expect((await admin('accounts', 'credit', credentials.accountId, '--add', '250')).code).toBe(0);
    expect((await harness.gateway.accounts.get(credentials.accountId))!.credits).toBe(1250);

    const rolled = JSON.parse((await admin('keys', 'roll', credentials.accountId, '--json')).output);
    expect(rolled.liveKey).not.toBe(credentials.liveKey);
    expect((await harness.graphql({ key: credentials.liveKey, query: '{ account { id } }' })).status).toBe(401);
    expect((await harness.graphql({ key: rolled.liveKey, query: '{ account { id } }' })).status).toBe(200);
  });

  it('refuses bad arguments with exit code 2', async () => {
    expect((await admin('accounts', 'create', '--plan', 'gold')).code).toBe(2);
    expect((await admin('accounts', 'show', 'acct_missing')).code).toBe(2);
  });

  it('takes credits away with --add=-N but never below zero, saying why in one line', async () => {
    const { accountId } = await harness.createAccount({ credits: 100 });
    expect((await admin('accounts', 'credit', accountId, '--add=-40')).code).toBe(0);
    const refused = await admin('accounts', 'credit', accountId, '--add=-100000');
    expect(refused.code).toBe(2);
    expect(refused.output.trim().split('\n')).toHaveLength(1);
    expect(refused.output).toMatch(/^admin: --add: /);
    expect((await harness.gateway.accounts.get(accountId))!.credits).toBe(60);
  });

  it('explains a negative number written without "=" instead of printing a stack trace', async () => {
    const { accountId } = await harness.createAccount();
    const refused = await admin('accounts', 'credit', accountId, '--add', '-5');
    expect(refused.code).toBe(2);
    expect(refused.output).toMatch(/^admin: .*--add=-/s);
    expect(refused.output).not.toMatch(/\n\s+at /);
  });

  it('lists accounts, disables and enables one, and revokes its keys', async () => {
    const { accountId, testKey } = await harness.createAccount();
    const listed = JSON.parse((await admin('accounts', 'list', '--json')).output) as { accounts: Array<{ id: string; disabled: boolean }> };
    expect(listed.accounts).toContainEqual(expect.objectContaining({ id: accountId, disabled: false }));
    expect((await admin('accounts', 'disable', accountId)).code).toBe(0);
    expect((await harness.graphql({ key: testKey, query: '{ account { id } }' })).status).toBe(403);
    expect((await admin('accounts', 'enable', accountId)).code).toBe(0);
    expect((await harness.graphql({ key: testKey, query: '{ account { id } }' })).status).toBe(200);
    expect((await admin('keys', 'revoke', accountId)).code).toBe(0);
    expect((await harness.graphql({ key: testKey, query: '{ account { id } }' })).status).toBe(401);
    const rolled = JSON.parse((await admin('keys', 'roll', accountId, '--json')).output) as { testKey: string };
    expect((await harness.graphql({ key: rolled.testKey, query: '{ account { id } }' })).status).toBe(200);
  });

  it('answers a key it knows from memory, and reads it again as soon as any process announces a change to its account', async () => {
    const { accountId, testKey } = await harness.createAccount();
    expect((await harness.graphql({ key: testKey, query: '{ account { id } }' })).status).toBe(200);
    // Behind the API's back (not through the repository, so nothing is announced): the key stays known for a while.
    await harness.gateway.redis.del(harness.gateway.keys.apiKey(hashApiKey(testKey)));
    expect((await harness.graphql({ key: testKey, query: '{ account { id } }' })).status).toBe(200);
    // Any announced change to the account (here the CLI, another process, enabling it) makes every API read keys again.
    expect((await admin('accounts', 'enable', accountId)).code).toBe(0);
    expect((await harness.graphql({ key: testKey, query: '{ account { id } }' })).status).toBe(401);
  });

  it('reads .env from the working directory', async () => {
    const { accountId } = await harness.createAccount();
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'genway-dotenv-'));
    await writeFile(path.join(cwd, '.env'), `REDIS_URL=${harness.config.REDIS_URL}\nREDIS_PREFIX=${harness.config.REDIS_PREFIX}\n`);
    const child = spawnEntryPoint('src/cli/admin.ts', {}, ['accounts', 'show', accountId, '--json'], cwd);
    expect(await exited(child)).toBe(0);
    expect(JSON.parse(child.output())).toMatchObject({ id: accountId });
    await rm(cwd, { recursive: true, force: true });
  });
});
