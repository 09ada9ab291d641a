/**
 * The floors genway is measured against, each a server in its own process like the gateway:
 *   fastify       bare Fastify POST returning a small JSON
 *   apollo        Apollo on Fastify with a trivial mutation shaped like `generate`
 *   apollo-redis  the same, plus one HSET and one BullMQ queue.add per request
 */

import { ApolloServer } from '@apollo/server';
import fastifyApollo from '@as-integrations/fastify';
import { Queue } from 'bullmq';
import Fastify from 'fastify';
import { Redis } from 'ioredis';

const mode = process.argv[2] as 'fastify' | 'apollo' | 'apollo-redis';
const port = Number(process.env.PORT);
const app = Fastify();
const reply = { id: 'gen_floor', status: 'QUEUED', provider: 'sandbox', creditCost: 1 };

if (mode === 'fastify') {
  app.post('/graphql', async () => ({ data: { generate: reply } }));
} else {
  const redis = mode === 'apollo-redis' ? new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null }) : null;
  const queue = redis ? new Queue('floor', { connection: redis, prefix: 'bench-floor' }) : null;
  let counter = 0;
  const apollo = new ApolloServer({
    typeDefs: `
      input GenerationInputData { text: String }
      input GenerateInput { type: String!, provider: String, input: GenerationInputData!, options: String }
      type Generation { id: ID! status: String! provider: String! creditCost: Int! }
      type Query { ok: Boolean }
      type Mutation { generate(input: GenerateInput!): Generation! }`,
    resolvers: {
      Mutation: {
        generate: async () => {
          if (redis && queue) {
            const id = `gen_floor_${counter++}`;
            await redis.hset(`bench-floor:generation:${id}`, { id, status: 'QUEUED' });
            await queue.add('run', { id }, { jobId: id, removeOnComplete: true });
          }
          return reply;
        },
      },
    },
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  await app.register(fastifyApollo(apollo));
}
await app.listen({ port, host: '127.0.0.1' });
process.stdout.write('ready\n');
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
