import pino from 'pino';
import { ensureDefaultAccount, type DefaultAccount } from '../accounts/accounts.js';
import { maskKey } from '../accounts/keys.js';
import { describeStore, loadConfig } from '../config.js';
import { createKassa, startWorkers } from '../kassa.js';
import { feeRuleFromEnv } from '../money/fees.js';
import { systemClock } from '../server/clock.js';
import { openStore } from '../store/store.js';
import { MIGRATIONS } from '../schema.js';

export async function runServe(flags: { host?: string; port?: string }): Promise<number> {
  const config = loadConfig(process.env, flags);
  const feeRule = feeRuleFromEnv(process.env);
  const logger = pino({ level: config.logLevel });
  const store = await openStore(config.store, MIGRATIONS);
  let account: DefaultAccount;
  let address: string;
  const app = createKassa({
    store,
    logger,
    feeRule,
    webhookTimeoutMs: config.webhookTimeoutMs,
    timeouts: config.timeouts,
  });
  try {
    account = await ensureDefaultAccount(store, {
      secretKey: config.secretKey,
      publishableKey: config.publishableKey,
      now: systemClock.now(),
    });
    address = await app.listen({ host: config.host, port: config.port });
    startWorkers(app);
  } catch (error) {
    // Close the database so that the process can exit (a PostgreSQL pool keeps it alive).
    await app.close().catch(() => undefined);
    await store.close();
    throw error;
  }

  console.log(`Kassa is listening on ${address} (${describeStore(config.store)})`);
  console.log(`Default account ${account.id}`);
  if (account.keys) {
    console.log(`  secret key:      ${shown(account.keys.secret_key, config.secretKey, 'KASSA_SECRET_KEY')}`);
    console.log(
      `  publishable key: ${shown(account.keys.publishable_key, config.publishableKey, 'KASSA_PUBLISHABLE_KEY')}`,
    );
  } else {
    console.log(`  keys: ${account.masked.join(', ')} (stored hashed; shown in full only when created.`);
    console.log('  Set KASSA_SECRET_KEY / KASSA_PUBLISHABLE_KEY, or run `kassa accounts create`.)');
  }

  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return new Promise<number>(() => undefined);
}

/** A key in full only when Kassa made it now: one from the environment is printed masked (logs outlive terminals). */
function shown(key: string, fromEnv: string | undefined, envName: string): string {
  return key === fromEnv ? `${maskKey(key)} (from ${envName})` : key;
}
