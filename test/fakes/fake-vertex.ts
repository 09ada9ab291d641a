import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jwtVerify } from 'jose';
import { z } from 'zod';
import type { VeoStep } from './fake-gemini.ts';
import { googleError, veoParameters, veoPredictBody } from './fake-gemini.ts';
import { renderOutput, ScriptedTasks, startFakeServer } from './fake-server.ts';

/**
 * A fake of Vertex AI's Veo endpoints, written from @google/genai's Vertex converters and Google's auth docs:
 * requests carry a service account's self-signed JWT (RS256, iss = sub = the account's email, the cloud-platform
 * scope) that the fake verifies with the account's public key; `:predictLongRunning` starts an operation and
 * `:fetchPredictOperation` reads it, finished videos inline as base64.
 */
/** Vertex AI also takes a seed, silent video and an output bucket. */
const predictBody = veoPredictBody({ ...veoParameters, generateAudio: z.boolean().optional(), seed: z.number().int().nonnegative().optional(), storageUri: z.string().optional() });

/** A service account key file (as Google issues them) for a fresh RSA key, and the key that verifies its JWTs. */
export function makeServiceAccount(project: string): { file: string; email: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const email = `genway-test@${project}.iam.gserviceaccount.com`;
  const file = path.join(os.tmpdir(), `genway-sa-${randomUUID()}.json`);
  const key = {
    type: 'service_account',
    project_id: project,
    private_key_id: randomUUID().replaceAll('-', ''),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    client_email: email,
    client_id: '1234567890',
    token_uri: 'https://oauth2.googleapis.com/token',
  };
  writeFileSync(file, JSON.stringify(key));
  return { file, email, publicKey };
}

export async function startFakeVertex(options: { project: string; location: string; email: string; publicKey: KeyObject }) {
  const tasks = new ScriptedTasks<VeoStep>(() => [{ done: false }, { done: true, outcome: 'video' }]);
  const prefix = `/v1/projects/${options.project}/locations/${options.location}/publishers/google/models/`;

  const server = await startFakeServer({
    async handle(request, send) {
      const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
      try {
        const { payload } = await jwtVerify(token, options.publicKey, { issuer: options.email, subject: options.email, algorithms: ['RS256'] });
        if (!String(payload.scope ?? '').includes('https://www.googleapis.com/auth/cloud-platform')) throw new Error('scope');
      } catch {
        return googleError(send, 401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
      }
      const call = request.path.startsWith(prefix) ? /^([^/:]+):(predictLongRunning|fetchPredictOperation)$/.exec(request.path.slice(prefix.length)) : null;
      if (request.method !== 'POST' || !call) return googleError(send, 404, 'NOT_FOUND', `${request.path} not found`);
      const [, model, method] = call as unknown as [string, string, string];
      if (method === 'predictLongRunning') {
        const parsed = predictBody.safeParse(request.body);
        if (!parsed.success) return googleError(send, 400, 'INVALID_ARGUMENT', parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
        const id = randomUUID();
        tasks.create(id, request.body);
        return send(200, { name: `projects/${options.project}/locations/${options.location}/publishers/google/models/${model}/operations/${id}` });
      }
      const name = String((request.body as { operationName?: unknown } | null)?.operationName ?? '');
      const id = name.split('/').pop()!;
      const step = tasks.poll(id);
      if (!step) return googleError(send, 404, 'NOT_FOUND', 'Operation not found');
      if (!step.done) return send(200, { name });
      if ('error' in step) return send(200, { name, done: true, error: step.error });
      const response =
        step.outcome === 'video'
          ? { videos: [{ bytesBase64Encoded: Buffer.from(await renderOutput('mp4')).toString('base64'), mimeType: 'video/mp4' }] }
          : { raiMediaFilteredCount: 1, raiMediaFilteredReasons: ['Your prompt was blocked by our safety filters.'] };
      send(200, { name, done: true, response: { '@type': 'type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse', ...response } });
    },
  });

  return {
    ...server,
    url: server.origin,
    tasks,
    script: (steps: VeoStep[]) => tasks.script(steps),
    creations: () => server.requests.filter((request) => request.path.endsWith(':predictLongRunning')),
  };
}

export type FakeVertex = Awaited<ReturnType<typeof startFakeVertex>>;
