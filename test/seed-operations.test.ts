import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

interface SeedOperation {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  needsGenerationId?: boolean;
}

const operations: SeedOperation[] = JSON.parse(readFileSync(new URL('./fixtures/seed-operations.json', import.meta.url), 'utf8'));

/** Replaces the `$GENERATION_ID` placeholder wherever the seed put it: in the query text or in variables. */
function withGenerationId(operation: SeedOperation, generationId: string): SeedOperation {
  const replace = (text: string) => text.replaceAll('$GENERATION_ID', generationId);
  return { ...operation, query: replace(operation.query), variables: operation.variables && JSON.parse(replace(JSON.stringify(operation.variables))) };
}

describe('every GraphQL operation the seeds show, sent as written with a test key', () => {
  let harness: TestGateway;
  let testKey: string;
  let existingGenerationId: string;
  const createdIds: string[] = [];

  beforeAll(async () => {
    harness = await startTestGateway();
    ({ testKey } = await harness.createAccount());
    const seedGeneration = await harness.graphql({ key: testKey, query: 'mutation { generate(input: { type: IMAGE, input: { text: "for status queries" } }) { id } }' });
    existingGenerationId = seedGeneration.body.data.generate.id;
  });
  afterAll(() => harness.close());

  it('has operations to send', () => {
    expect(operations.length).toBeGreaterThanOrEqual(20);
  });

  for (const operation of operations) {
    it(operation.name, async () => {
      let sent = operation;
      if (operation.needsGenerationId) {
        const fresh = await harness.graphql({ key: testKey, query: 'mutation { generate(input: { type: VIDEO, input: { text: "[sandbox:slow] to query, then cancel" } }) { id } }' });
        sent = withGenerationId(operation, operation.name === 'cancel-generation' ? fresh.body.data.generate.id : existingGenerationId);
      }
      const response = await harness.graphql({ key: testKey, query: sent.query, variables: sent.variables });
      expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
      expect(response.status).toBe(200);
      const [field, value] = Object.entries(response.body.data)[0]!;
      expect(value, field).not.toBeNull();
      if (field === 'generate' || field === 'videoCreate') {
        expect((value as { status: string }).status).toBe('QUEUED');
        createdIds.push((value as { id: string }).id);
      }
      if (field === 'cancelGeneration') expect(value).toBe(true);
      if (field === 'providers') expect((value as unknown[]).length).toBeGreaterThan(0);
    });
  }

  // The sandbox renders what the seeds ask for, 1080p ten-second videos among them, one at a time on a spare core:
  // under the whole suite that takes well over the usual 20 s wait, so this case waits for completion, not speed.
  it('completes every generation those operations created', { timeout: 180_000 }, async () => {
    expect(createdIds.length).toBeGreaterThanOrEqual(15);
    for (const id of createdIds) expect(await harness.waitForStatus(id, ['COMPLETED', 'FAILED'], 150_000)).toBe('COMPLETED');
  });

  it('answers the bare and the sub-selected forms of metadata and error alike', async () => {
    await harness.waitForStatus(existingGenerationId, ['COMPLETED']);
    const bare = await harness.graphql({ key: testKey, query: 'query ($id: ID!) { generation(id: $id) { metadata error } }', variables: { id: existingGenerationId } });
    const picked = await harness.graphql({
      key: testKey,
      query: 'query ($id: ID!) { generation(id: $id) { metadata { width height duration format } error { code message } } }',
      variables: { id: existingGenerationId },
    });
    expect(bare.body.data.generation.metadata).toMatchObject(picked.body.data.generation.metadata);
    expect(bare.body.data.generation.metadata).toMatchObject({ format: 'png', width: 1024, height: 1024 });
    expect(bare.body.data.generation.error).toBeNull();
  });
});
