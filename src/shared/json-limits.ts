import { GatewayError } from '../errors/gateway-error.ts';

/**
 * How deep a whole JSON request body may nest. The deepest real body is a GraphQL one (variables › input › options ›
 * a provider option), a handful of levels; thousands of levels exhaust the stack of whatever walks the value
 * recursively later (JSON.stringify when it is fingerprinted, stored or announced).
 */
export const maxBodyDepth = 64;

/** A path segment longer than this is cut in error messages: a hostile key must not be echoed whole. */
const maxSegmentChars = 64;

interface Pending {
  value: unknown;
  depth: number;
  key: string;
  parent: Pending | null;
}

function pathOf(node: Pending): string[] {
  const path: string[] = [];
  for (let at: Pending | null = node; at?.parent; at = at.parent) path.push(at.key.length > maxSegmentChars ? `${at.key.slice(0, maxSegmentChars)}…` : at.key);
  return path.reverse();
}

/**
 * The path to the first object or array nested deeper than `maxDepth` levels (the value itself, when it is one, is
 * level 1), or null when there is none. Walks with a stack of its own, so no nesting can overflow the call stack.
 */
export function pathBeyondDepth(value: unknown, maxDepth: number): string[] | null {
  const pending: Pending[] = [{ value, depth: 1, key: '', parent: null }];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (typeof node.value !== 'object' || node.value === null) continue;
    if (node.depth > maxDepth) return pathOf(node);
    for (const [key, child] of Object.entries(node.value)) {
      if (typeof child === 'object' && child !== null) pending.push({ value: child, depth: node.depth + 1, key, parent: node });
    }
  }
  return null;
}

/** INVALID_INPUT naming the field at `path` (under `prefix`) that nests too deep. */
export function tooDeep(path: string[], maxDepth: number, prefix?: string): GatewayError {
  const field = [prefix, ...path].filter(Boolean).join('.') || 'body';
  return new GatewayError('INVALID_INPUT', `${field}: nests deeper than ${maxDepth} levels`, { details: { field } });
}

/** A parsed JSON request body that nests too deep, as the error to answer; null when it is fine. */
export function bodyDepthError(body: unknown): GatewayError | null {
  const path = pathBeyondDepth(body, maxBodyDepth);
  return path ? tooDeep(path, maxBodyDepth) : null;
}
