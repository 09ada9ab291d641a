/** An upload link's token is the path segment after its id (`/uploads/{id}/{token}`, `UploadStore.linkFor`). */
const uploadLinkToken = /(\/uploads\/[^/?#]+\/)[^/?#]+/;
/** Query parameters that carry a credential, should a client put one there (an upload form's token, a key). */
const credentialParameters = /([?&](?:token|link_?token|access_token|api_?key|key|signature|sig)=)[^&#]*/gi;

/** A request URL fit for the log: the credentials it may carry are replaced, the rest kept to trace the request. */
export function redactUrl(url: string): string {
  return url.replace(uploadLinkToken, '$1[redacted]').replace(credentialParameters, '$1[redacted]');
}
