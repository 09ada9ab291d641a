/**
 * How a media input names a file a client uploaded to this gateway: an upload URI, which everything else knows only
 * as the upload id these functions give. It is spelled as Runway spells its own uploads, `runway://uploads/<id>`,
 * because uploads are made through the Runway-compatible API (whose SDK hands the URI back) and every surface accepts
 * what it returned. This module is the one place that spelling lives.
 */
export const uploadUriScheme = 'runway://';
const uploadUriPrefix = `${uploadUriScheme}uploads/`;

export const uploadUriFor = (uploadId: string) => `${uploadUriPrefix}${uploadId}`;

/** How an upload URI looks, for messages that say what a media input may be. */
export const uploadUriForm = uploadUriFor('<id>');

/** The upload a URI names, or null when it is not an upload URI of this gateway. */
export function uploadIdOf(uri: string): string | null {
  if (!uri.startsWith(uploadUriPrefix)) return null;
  const id = uri.slice(uploadUriPrefix.length);
  return /^upl_[A-Za-z0-9_-]{8,64}$/.test(id) ? id : null;
}

/** A link `UploadStore.linkFor` made: the upload and its link token, or null. */
export function uploadLinkOf(url: string): { id: string; linkToken: string } | null {
  const match = /\/uploads\/(upl_[A-Za-z0-9_-]{8,64})\/([A-Za-z0-9]{16,64})$/.exec(url);
  return match ? { id: match[1]!, linkToken: match[2]! } : null;
}

interface MediaInputs {
  image?: string | null;
  endImage?: string | null;
  video?: string | null;
  audio?: string | null;
  references?: string[] | null;
}

/** The request fields that hold one media reference each (`references` holds a list). */
const singleMediaFields = ['image', 'endImage', 'video', 'audio'] as const;

/** Every media input of a request with its field path (`input.image`, `input.references.0`…). */
export function mediaInputsOf(input: MediaInputs): [string, string][] {
  const single = singleMediaFields.flatMap((field): [string, string][] => (input[field] ? [[`input.${field}`, input[field]]] : []));
  return [...single, ...(input.references ?? []).map((reference, index): [string, string] => [`input.references.${index}`, reference])];
}

/** The input with every media reference replaced by what `replace` makes of it; other fields as they were. */
export async function mapMediaInputs<Input extends MediaInputs>(input: Input, replace: (value: string) => Promise<string>): Promise<Input> {
  const mapped = { ...input };
  for (const field of singleMediaFields) if (input[field]) mapped[field] = await replace(input[field]);
  if (input.references) mapped.references = await Promise.all(input.references.map(replace));
  return mapped;
}

/** Whether any media input names an upload. */
export const namesUploads = (input: MediaInputs) => mediaInputsOf(input).some(([, value]) => uploadIdOf(value) !== null);
