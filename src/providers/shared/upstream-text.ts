import ipaddr from 'ipaddr.js';

/**
 * What an upstream says travels on to clients (`generation.error.message`, REST bodies) and to the logs, so it is
 * reduced first: never a credential, an internal host or a stack, and never more than a short summary.
 */

/** Enough of a vendor's words to say what was wrong, not enough to echo a payload back. */
export const maxUpstreamTextLength = 200;

const redacted = '[redacted]';

/** A configured value this short could be part of any word; credentials are longer. */
const shortestSecret = 4;

/** Where a stack trace begins: a JavaScript or Java frame, Python's traceback. Everything from there on is dropped. */
const stackStart = /\n\s*at\s|\s+at [\w$.<>[\]]+ \(|Traceback \(most recent call last\)|\n\s*File "/;

/** Lower-case host names ending in a public or an internal suffix (upper-case dotted words are vendor codes: SAFETY.INPUT). */
const hostSuffixes = 'com|net|org|io|ai|dev|app|cloud|co|us|eu|uk|de|fr|nl|cn|jp|kr|in|ru|br|info|biz|xyz|run|sh|internal|intranet|local|localdomain|lan|corp|home|private|svc|cluster|test|example';

type Replacement = string | ((match: string) => string);

const url: [RegExp, Replacement] = [/\b[a-z][a-z\d+.-]*:\/\/[^\s"'<>)]+/gi, '[url]'];

/** Credential shapes; each keeps its label and loses its value. */
const credentials: Array<[RegExp, Replacement]> = [
  // A JSON Web Token (Kling's bearer token, Google's signed assertions).
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, redacted],
  // An Authorization scheme and its token; the token must look like one (digits or punctuation), so "Key must…" stays prose.
  [/\b(Bearer|bearer|BEARER|Basic|Key|Token)\s+(?=[^\s"',;)]*[\d_.:-])[^\s"',;)]+/g, `$1 ${redacted}`],
  // Vendors' key prefixes: sk-…, sk_live_…, pk_…, rk_…, key_…, r8_…, fal_…, gw_live_…, gw_test_…, Google's AIza….
  [/\b(?:sk|pk|rk|ak|key|r8|fal|gw_live|gw_test)[-_](?=[\w-]*\d)[\w-]{4,}/g, redacted],
  [/\bAIza[\w-]{20,}/g, redacted],
  // key=…, api_key=…, access_token=…, X-Amz-Signature=…, and the same as a JSON member or an echoed header.
  [/\b([\w-]*(?:key|token|secret|password|signature|sig|credential)s?)=[^\s&"',;]+/gi, `$1=${redacted}`],
  [/("[\w-]*(?:key|token|secret|password|signature|credential)s?"\s*:\s*")[^"]*"/gi, `$1${redacted}"`],
  [/\b([\w-]*api-?key)(\s*:\s*)[^\s,;]+/gi, `$1$2${redacted}`],
  // A long random token: 32 or more word characters with letters and digits mixed (a UUID, a task's id, is kept).
  [/(?<![\w+=-])(?![\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}(?![\w-]))(?=[\w+=-]*\d)(?=[\w+=-]*[A-Za-z])[\w+=-]{32,}/gi, redacted],
];

/** Where things are, other than URLs: IP addresses, host names, file paths. */
const locations: Array<[RegExp, Replacement]> = [
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g, '[address]'],
  [/\[[\da-f:.]+\](?::\d{1,5})?/gi, '[address]'],
  // Bare IPv6: validated, and with "::" or five groups or more, so a time (12:30:45) or a ratio (16:9) stays.
  [/(?<![\w:.])[\da-f]{0,4}(?::[\da-f]{0,4}){2,7}(?![\w:])/gi, (match) => (ipaddr.IPv6.isValid(match) && (match.includes('::') || match.split(':').length >= 5) ? '[address]' : match)],
  [new RegExp(`(?<![\\w.-])(?:[a-z\\d](?:[a-z\\d-]{0,61}[a-z\\d])?\\.)+(?:${hostSuffixes})(?![\\w-])(?::\\d{1,5})?`, 'g'), '[host]'],
  [/\blocalhost(?::\d{1,5})?\b/g, '[host]'],
  [/(?<![\w.\]])(?:[A-Za-z]:)?(?:[\\/][\w.@-]+){2,}(?::\d+)*/g, '[path]'],
];

/** URLs go first, whole (with their query's keys); then credentials; then the addresses and names left. */
const patterns = [url, ...credentials, ...locations];

const replace = (text: string, [pattern, replacement]: [RegExp, Replacement]) => (typeof replacement === 'string' ? text.replace(pattern, replacement) : text.replace(pattern, replacement));

/**
 * Replaces every configured secret (a route's keys, its origin's host), then anything shaped like a credential or a
 * location. For the gateway's own messages about an upstream: the wording stays, the length is not cut.
 */
export function redactUpstreamText(text: string, secrets: readonly string[] = []): string {
  let clean = text;
  for (const secret of secrets) if (secret.length >= shortestSecret) clean = clean.replaceAll(secret, redacted);
  return patterns.reduce(replace, clean);
}

/** How much of a long answer (a proxy's HTML page) is read at all: the patterns' cost grows with the text. */
const readLength = 5 * maxUpstreamTextLength;

/** The text up to `length`, cut at whitespace so no token (a key, a URL) is cut in two and slips past the patterns. */
function head(text: string, length: number): string {
  if (text.length <= length) return text;
  const start = text.slice(0, length + 1);
  const lastSpace = start.search(/\s\S*$/);
  return lastSpace > 0 ? start.slice(0, lastSpace) : text.slice(0, length);
}

/** A vendor's own words as a client or a log may see them: without a stack, redacted, on one line, and short. */
export function sanitizeUpstreamText(text: string, secrets: readonly string[] = []): string {
  // Whitespace runs collapse, so twice what is read is enough text to fill it.
  const oneLine = (head(text, 2 * readLength).split(stackStart)[0] ?? '').replace(/\s+/g, ' ').trim();
  const clean = redactUpstreamText(head(oneLine, readLength), secrets);
  return clean.length > maxUpstreamTextLength ? `${clean.slice(0, maxUpstreamTextLength - 1)}…` : clean;
}
