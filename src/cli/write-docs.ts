import { readFileSync, writeFileSync } from 'node:fs';
import { clientTypesFile, clientTypesSource } from './client-types.ts';
import { withProviderSettings, withProviderTable } from './provider-docs.ts';

/** `npm run docs`: rewrites the README's provider table, the provider part of .env.example and the client's types. */
const readme = new URL('../../README.md', import.meta.url);
const envExample = new URL('../../.env.example', import.meta.url);
writeFileSync(readme, withProviderTable(readFileSync(readme, 'utf8')));
writeFileSync(envExample, withProviderSettings(readFileSync(envExample, 'utf8')));
writeFileSync(new URL(`../../${clientTypesFile}`, import.meta.url), await clientTypesSource());
