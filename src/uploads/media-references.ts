import { GatewayError } from '../errors/gateway-error.ts';
import type { OutboundUrlPolicy } from '../net/outbound-url-policy.ts';
import type { UploadStore } from './upload-store.ts';
import { uploadIdOf } from './upload-uri.ts';

/** A media reference a client gave (a URL, a data URI or an upload URI) and the field that names it in errors. */
export type MediaReference = [field: string, value: string];

export interface MediaReferenceChecks {
  urls: Pick<OutboundUrlPolicy, 'check'>;
  uploads: Pick<UploadStore, 'find'>;
}

/** Every URL genway or an upstream will fetch must pass the outbound policy; data URIs and this gateway's uploads need no network. */
export function checkMediaUrls(urls: MediaReferenceChecks['urls'], references: MediaReference[]): void {
  for (const [field, value] of references) {
    if (!value.startsWith('data:') && !uploadIdOf(value)) urls.check(value, field);
  }
}

/** An upload URI must name one of the caller's own uploads, still kept; anyone else's is as missing as a wrong id. */
export async function checkOwnUploads(uploads: MediaReferenceChecks['uploads'], accountId: string, references: MediaReference[]): Promise<void> {
  for (const [field, value] of references) {
    const uploadId = uploadIdOf(value);
    if (uploadId && !(await uploads.find(accountId, uploadId))) {
      throw new GatewayError('NOT_FOUND', `${field}: no upload ${value} for this account (uploads expire after a day)`, { details: { field } });
    }
  }
}

/** Both checks, URLs first (they need no Redis), as every request that carries media gets them. */
export async function checkMediaReferences(checks: MediaReferenceChecks, accountId: string, references: MediaReference[]): Promise<void> {
  checkMediaUrls(checks.urls, references);
  await checkOwnUploads(checks.uploads, accountId, references);
}
