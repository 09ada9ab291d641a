import { readFileSync, writeFileSync } from 'node:fs';
import { withProviderSettings, withProviderTable } from './provider-docs.ts';

/** `npm run docs`: rewrites the README's provider table and the provider part of .env.example. */
const readme = new URL('../../README.md', import.meta.url);
const envExample = new URL('../../.env.example', import.meta.url);
writeFileSync(readme, withProviderTable(readFileSync(readme, 'utf8')));
writeFileSync(envExample, withProviderSettings(readFileSync(envExample, 'utf8')));
