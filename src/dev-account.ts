import type { Config } from './config.ts';
import type { Gateway } from './gateway.ts';

/**
 * On the first start against an empty Redis, make a `dev` account and print its test key once,
 * with a curl to paste. SET NX makes sure only one of several starting processes does it.
 */
export async function createDevAccountOnFirstStart(gateway: Gateway, print: (text: string) => void): Promise<void> {
  if (!gateway.config.CREATE_DEV_ACCOUNT) return;
  if ((await gateway.accounts.count()) > 0) return;
  const claimed = await gateway.redis.set(gateway.keys.devAccountClaim(), '1', 'NX');
  if (claimed !== 'OK') return;
  const credentials = await gateway.accounts.create({ name: 'dev', plan: 'pro', credits: 1000 });
  print(devAccountBanner(gateway.config, credentials.accountId, credentials.testKey));
}

function devAccountBanner(config: Config, accountId: string, testKey: string): string {
  const query =
    'mutation { generate(input: { type: VIDEO, provider: \\"runway\\", input: { text: \\"A serene landscape with mountains and a lake at sunset\\" }, options: { duration: 5, aspectRatio: \\"16:9\\" } }) { id status provider creditCost } }';
  return [
    '',
    `Created the dev account ${accountId} (plan pro, 1000 credits). Its test key, shown only this once:`,
    '',
    `  ${testKey}`,
    '',
    'Try it (test keys run every provider on the built-in sandbox and spend nothing):',
    '',
    `  curl -s ${config.PUBLIC_URL}/graphql -H 'Content-Type: application/json' -H 'Authorization: Bearer ${testKey}' \\`,
    `    -d '{"query":"${query}"}'`,
    '',
    `Live keys and more accounts: npm run --silent admin -- keys roll ${accountId} --json`,
    '',
  ].join('\n');
}
