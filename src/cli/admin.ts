import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AccountRepository } from '../billing/account-repository.ts';
import { webhookSecretHint } from '../billing/api-keys.ts';
import { plans } from '../billing/plans.ts';
import { connectRedisOrExit, loadConfigOrExit } from '../bootstrap.ts';
import { createLogger } from '../logging/logger.ts';
import { builtInProviders } from '../providers/index.ts';
import { createRedis, failFastOptions, isRedisUnavailableError } from '../redis/redis-client.ts';
import { watchRedisConnectivity } from '../redis/redis-connectivity.ts';
import { redisKeys } from '../redis/redis-keys.ts';
import { RunwayAccountSettings } from '../surfaces/runway/runway-account-settings.ts';

const usage = `Usage: npm run --silent admin -- <command> [--json]

  accounts create --name NAME [--plan free|starter|pro|enterprise] [--credits N]
  accounts list
  accounts show ACCOUNT_ID
  accounts credit ACCOUNT_ID --add N   (N < 0 takes credits away, never below zero; write it --add=-N)
  accounts disable ACCOUNT_ID   (its keys answer 403 until enabled)
  accounts enable ACCOUNT_ID
  accounts plan ACCOUNT_ID --plan free|starter|pro|enterprise
  accounts limits ACCOUNT_ID [--per-minute N] [--concurrent N] [--per-day N]   (per-day 0: unlimited)
  accounts runway-provider ACCOUNT_ID --provider cometapi   (where /runway tasks go without an X-Genway-Provider header)
  keys roll ACCOUNT_ID
  keys revoke ACCOUNT_ID   (both keys stop working; keys roll issues new ones)
  webhooks roll-secret ACCOUNT_ID [--overlap-hours 24]   (the old secret keeps signing beside the new one meanwhile)

Keys and webhook secrets are printed once and stored only as hashes (keys) or server-side (secrets).`;

const createSchema = z.object({
  name: z.string().min(1, 'needs --name'),
  plan: z.enum(plans).default('free'),
  credits: z.coerce.number().int().nonnegative().default(0),
});
const creditSchema = z.object({
  add: z.coerce
    .number({ error: 'needs a whole number, e.g. --add 100 or --add=-100' })
    .int()
    .refine((value) => value !== 0, 'must not be zero'),
});
const planSchema = z.object({ plan: z.enum(plans) });
const providerSchema = z.object({ provider: z.enum(builtInProviders.map((definition) => definition.id) as [string, ...string[]]) });
const overlapSchema = z.object({
  'overlap-hours': z.coerce
    .number()
    .nonnegative()
    .max(24 * 30)
    .default(24),
});
const limitsSchema = z.object({
  'per-minute': z.coerce.number().int().positive().optional(),
  concurrent: z.coerce.number().int().positive().optional(),
  'per-day': z.coerce.number().int().nonnegative().optional(),
});

class UsageError extends Error {}

/** How long the CLI waits for Redis before saying it is not reachable. */
const redisWaitMs = 3000;

type Output = Record<string, unknown>;

interface Stores {
  repository: AccountRepository;
  runwayAccounts: RunwayAccountSettings;
}

async function run({ repository, runwayAccounts }: Stores, positionals: string[], flags: Record<string, string | boolean | undefined>): Promise<Output> {
  const [group, action, accountId] = positionals;
  const parse = <T>(schema: z.ZodType<T>, value: unknown): T => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; '));
    return parsed.data;
  };
  const requireAccountId = () => {
    if (!accountId) throw new UsageError('needs an ACCOUNT_ID');
    return accountId;
  };
  const notFound = (id: string): never => {
    throw new UsageError(`no account ${id}`);
  };
  if (group === 'accounts' && action === 'create') return { ...(await repository.create(parse(createSchema, flags))) };
  if (group === 'accounts' && action === 'list') {
    const accounts = await repository.list();
    return { accounts: accounts.map(({ id, name, plan, credits, disabled, createdAt }) => ({ id, name, plan, credits, disabled, createdAt: new Date(createdAt).toISOString() })) };
  }
  if (group === 'accounts' && (action === 'disable' || action === 'enable')) {
    if (!(await repository.setDisabled(requireAccountId(), action === 'disable'))) notFound(requireAccountId());
    return { accountId: requireAccountId(), disabled: action === 'disable' };
  }
  if (group === 'keys' && action === 'revoke') {
    if (!(await repository.revokeKeys(requireAccountId()))) notFound(requireAccountId());
    return { accountId: requireAccountId(), revoked: true };
  }
  if (group === 'accounts' && action === 'show') {
    const account = (await repository.get(requireAccountId())) ?? notFound(requireAccountId());
    const { webhookSecret, ...visible } = account;
    return { ...visible, runwayCompatibleProvider: await runwayAccounts.provider(account.id), webhookSecretHint: webhookSecretHint(webhookSecret) };
  }
  if (group === 'accounts' && action === 'credit') {
    const { add } = parse(creditSchema, flags);
    const grant = await repository.grantCredits(requireAccountId(), add);
    if (!grant.ok && grant.reason === 'not-found') notFound(requireAccountId());
    if (!grant.ok && grant.reason === 'would-go-negative') throw new UsageError(`--add: the balance is ${grant.credits}; taking ${-add} would leave it below zero`);
    return { accountId: requireAccountId(), credits: (grant as { credits: number }).credits };
  }
  if (group === 'accounts' && action === 'plan') {
    const { plan } = parse(planSchema, flags);
    if (!(await repository.setPlan(requireAccountId(), plan))) notFound(requireAccountId());
    return { accountId: requireAccountId(), plan };
  }
  if (group === 'accounts' && action === 'limits') {
    const limits = parse(limitsSchema, flags);
    const overrides = { perMinute: limits['per-minute'], concurrent: limits.concurrent, perDay: limits['per-day'] };
    if (!(await repository.setLimits(requireAccountId(), overrides))) notFound(requireAccountId());
    return { accountId: requireAccountId(), limits: (await repository.get(requireAccountId()))!.limits };
  }
  if (group === 'accounts' && action === 'runway-provider') {
    const { provider } = parse(providerSchema, flags);
    if (!(await runwayAccounts.setProvider(requireAccountId(), provider))) notFound(requireAccountId());
    return { accountId: requireAccountId(), runwayCompatibleProvider: provider };
  }
  if (group === 'webhooks' && action === 'roll-secret') {
    const { 'overlap-hours': hours } = parse(overlapSchema, flags);
    return (await repository.rollWebhookSecret(requireAccountId(), hours * 60 * 60 * 1000)) ?? notFound(requireAccountId());
  }
  if (group === 'keys' && action === 'roll') return (await repository.rollKeys(requireAccountId())) ?? notFound(requireAccountId());
  throw new UsageError(usage);
}

function parseArguments() {
  return parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      name: { type: 'string' },
      plan: { type: 'string' },
      credits: { type: 'string' },
      add: { type: 'string' },
      'per-minute': { type: 'string' },
      concurrent: { type: 'string' },
      'per-day': { type: 'string' },
      'overlap-hours': { type: 'string' },
      provider: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** The account list prints one line per account; everything else prints `name: value` lines. */
function asText(output: Output): string {
  if (Array.isArray(output.accounts)) return (output.accounts as Output[]).map((account) => Object.values(account).join('\t')).join('\n') || '(no accounts)';
  return Object.entries(output)
    .map(([name, value]) => `${name}: ${typeof value === 'object' ? JSON.stringify(value) : value}`)
    .join('\n');
}

function fail(message: string, code: number): never {
  process.stderr.write(`admin: ${message}\n`);
  process.exit(code);
}

async function main() {
  let parsed: ReturnType<typeof parseArguments>;
  try {
    parsed = parseArguments();
  } catch (error) {
    // node:util's parser explains the problem in one sentence (e.g. a negative number given without `=`).
    fail((error as Error).message, 2);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const config = loadConfigOrExit();
  const redisServer = await connectRedisOrExit(config);
  const redis = createRedis(redisServer.address, failFastOptions(config.REDIS_COMMAND_TIMEOUT_MS));
  const connectivity = watchRedisConnectivity(redis, createLogger('silent'));
  let failure: { message: string; code: number } | null = null;
  try {
    if (!(await connectivity.waitUntilUp(redisWaitMs))) throw new Error(`Redis is not reachable${config.REDIS_URL ? ' at REDIS_URL' : ''}; is the gateway's Redis running?`);
    const keys = redisKeys(config.REDIS_PREFIX);
    const output = await run({ repository: new AccountRepository(redis, keys), runwayAccounts: new RunwayAccountSettings(redis, keys) }, positionals, values);
    process.stdout.write(`${values.json ? JSON.stringify(output) : asText(output)}\n`);
  } catch (error) {
    if (error instanceof UsageError) failure = { message: error.message, code: 2 };
    else failure = { message: isRedisUnavailableError(error) ? 'Redis stopped answering; the change may not have been made' : (error as Error).message, code: 1 };
  } finally {
    connectivity.close();
    redis.disconnect();
    await redisServer.stop();
  }
  if (failure) fail(failure.message, failure.code);
}

await main();
