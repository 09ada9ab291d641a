const dataUriPattern = /^data:([\w.+-]+\/[\w.+-]+);base64,/;

/** A base64 data URI's media type and payload, or null when the value is not one. */
export function parseDataUri(value: string): { mimeType: string; base64: string } | null {
  const match = dataUriPattern.exec(value);
  return match ? { mimeType: match[1]!, base64: value.slice(match[0].length) } : null;
}
