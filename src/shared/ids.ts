import { randomBytes } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random base62 token; 62^n possibilities, with rejection sampling so every symbol is equally likely. */
export function randomToken(length: number): string {
  let token = '';
  while (token.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && token.length < length) token += alphabet[byte % 62];
    }
  }
  return token;
}

/** Ids are prefixed like Stripe's so a stray id in a log says what it is. */
export const newGenerationId = () => `gen_${randomToken(24)}`;
export const newAccountId = () => `acct_${randomToken(16)}`;
