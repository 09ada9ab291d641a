import { customAlphabet } from 'nanoid';

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random base62 token, uniformly distributed, from nanoid's pooled secure random bytes. */
export const randomToken = (length: number) => customAlphabet(base62, length)();

const generationSuffix = customAlphabet(base62, 24);
const accountSuffix = customAlphabet(base62, 16);

/** Ids are prefixed like Stripe's so a stray id in a log says what it is. */
export const newGenerationId = () => `gen_${generationSuffix()}`;
export const newAccountId = () => `acct_${accountSuffix()}`;
