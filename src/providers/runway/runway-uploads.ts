import { request } from 'undici';
import { z } from 'zod';
import { uploadIdOf } from '../../uploads/upload-uri.ts';
import { upstreamError } from '../shared/upstream-errors.ts';
import { callUpstream, unreachableUpstream } from '../shared/upstream-http.ts';
import type { ConnectorContext } from '../spec.ts';

const uploadFormSchema = z.object({ uploadUrl: z.url(), fields: z.record(z.string(), z.string()), runwayUri: z.string().startsWith('runway://') });

export interface RunwayUploadTarget {
  providerName: string;
  url(path: string): string;
  headers: Record<string, string>;
}

/** File extensions Runway infers the media type from, where the MIME subtype is not one. */
const extensions: Record<string, string> = { 'audio/mpeg': 'mp3', 'audio/x-wav': 'wav', 'audio/wave': 'wav', 'image/jpeg': 'jpg', 'video/quicktime': 'mov' };

/** Runway's ephemeral upload: ask for a form (`POST /v1/uploads`), post the file to it, and use the URI it names. */
async function uploadToRunway(target: RunwayUploadTarget, media: { bytes: Uint8Array; mimeType: string }, name: string): Promise<string> {
  const filename = `${name}.${extensions[media.mimeType] ?? media.mimeType.split('/')[1] ?? 'bin'}`;
  const answer = await callUpstream({ method: 'POST', url: target.url('/v1/uploads'), headers: target.headers, body: { filename, type: 'ephemeral' } });
  const form = uploadFormSchema.safeParse(answer.body);
  if (answer.status >= 300 || !form.success) throw upstreamError(target.providerName, answer);
  const body = new FormData();
  for (const [field, value] of Object.entries(form.data.fields)) body.append(field, value);
  body.append('file', new Blob([media.bytes], { type: media.mimeType }), filename);
  // Encoded by the runtime's own Response: undici's request takes only its own copy's FormData, and on Node 24 the
  // package's copy and the runtime's differ.
  const encoded = new Response(body);
  const headers = { 'content-type': encoded.headers.get('content-type') ?? 'multipart/form-data' };
  const payload = Buffer.from(await encoded.arrayBuffer());
  const stored = await request(form.data.uploadUrl, { method: 'POST', body: payload, headers, signal: AbortSignal.timeout(120_000) }).catch((error: unknown) => {
    throw unreachableUpstream(error, `${target.providerName}'s upload storage could not be reached`);
  });
  const text = await stored.body.text();
  if (stored.statusCode >= 300) throw upstreamError(target.providerName, { status: stored.statusCode, headers: stored.headers, body: text });
  return form.data.runwayUri;
}

/** A task body with every upload of this gateway (runway://uploads/…) replaced by the same file uploaded to Runway. */
export async function withRunwayUploads(body: Record<string, unknown>, target: RunwayUploadTarget, context: ConnectorContext): Promise<Record<string, unknown>> {
  const replace = async (value: unknown): Promise<unknown> => {
    if (typeof value === 'string') {
      const uploadId = uploadIdOf(value);
      return uploadId ? uploadToRunway(target, await context.readMedia(value, 'input'), uploadId) : value;
    }
    if (Array.isArray(value)) return Promise.all(value.map(replace));
    if (value && typeof value === 'object') return Object.fromEntries(await Promise.all(Object.entries(value).map(async ([key, inner]) => [key, await replace(inner)])));
    return value;
  };
  return (await replace(body)) as Record<string, unknown>;
}
