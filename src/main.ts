/**
 * Composition root and process lifecycle: configuration, logging, the database, the modules of
 * this role (src/server/modules.ts), signals and exit codes. Everything testable lives in
 * buildServer; this file only decides what a process does at its edges.
 *
 *   STEWARD_ROLE=web     HTTP: Slack, Teams, console, API, health
 *   STEWARD_ROLE=worker  background jobs (Agenda); HTTP serves only /healthz and /readyz
 *   STEWARD_ROLE=all     both, in one process (the default; what `npm start` runs)
 */
import type { Connection } from 'mongoose';
import { buildContext } from './app/context';
import { resolveAuditSigningKey } from './auditSigningKey';
import { type Config, ConfigError, loadConfig } from './config';
import { createLogger, type Logger, redactUri } from './logger';
import { buildServer, type RunningServer } from './server/buildServer';
import { startLocalDatabase } from './server/localDatabase';
import { modules } from './server/modules';
import { type ShutdownDeadlines, shutdownDeadlines } from './server/shutdownDeadlines';
import { loadPolicy } from './playbooks';


export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`Steward cannot start.\n${e.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  const logger = createLogger({ level: config.logLevel, env: config.env });
  for (const w of config.warnings) logger.warn(w);

  let server: RunningServer;
  try {
    if (!config.mongodb.uri) {
      logger.info('MONGODB_URI is not set: starting the local database (scripts/db.sh)');
      config = { ...config, mongodb: { ...config.mongodb, uri: await startLocalDatabase() } };
    }
    // Read the playbooks before anything else: a broken playbook stops startup with its message.
    // EU_AI_ACT_DATES, when set, overrides regulation.yaml's datesInForce.
    const policy = loadPolicy(config.playbooksDir, { datesInForce: config.euAiActDates });
    // Production has it from the environment; development reads (or first creates) data/audit-signing.key.
    const auditSigningKey = resolveAuditSigningKey(config);
    logger.info(
      { db: redactUri(config.mongodb.uri!), dbName: config.mongodb.dbName, role: config.role, euAiActDates: policy.regulation?.datesInForce },
      'starting',
    );
    server = await buildServer(config, {
      logger,
      modules,
      buildDomain: (conn: Connection) =>
        buildContext({
          conn,
          policy,
          auditSigningKey,
          // The change is stored; the reaction sweep (scheduler) finishes what failed here.
          onReactionError: (err, entry) => logger.error({ err, stream: entry.stream, version: entry.version, action: entry.action }, 'a consequence of a stored change failed; the reaction sweep will retry it'),
          onMigrated: (report) =>
            (report.legacyChainIntact === false ? logger.warn.bind(logger) : logger.info.bind(logger))(
              { migration: report },
              report.legacyChainIntact === false
                ? 'records migrated to histories; the old audit chain did NOT verify before it was copied (see legacy:audit entries with linkVerified false)'
                : 'records migrated to histories (one-time; later starts find nothing to do)',
            ),
        }),
    });
  } catch (e) {
    logger.fatal({ err: e }, `Steward could not start: ${e instanceof Error ? e.message : String(e)}`);
    await flush(logger);
    process.exit(1);
  }

  logger.info({ url: server.url, role: config.role, console: config.console.enabled ? `${config.publicUrl}/console` : undefined }, 'listening');
  installShutdown(server, logger, shutdownDeadlines(config.shutdownGraceSeconds));
}

function installShutdown(server: RunningServer, logger: Logger, deadlines: ShutdownDeadlines): void {
  let signalled = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) return; // a second Ctrl-C does not restart the sequence
    signalled = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error(`shutdown took longer than ${deadlines.exitAfterMs / 1000} s; exiting anyway`);
      process.exit(1);
    }, deadlines.exitAfterMs);
    force.unref();
    server
      .stop({ drainMs: deadlines.httpDrainMs })
      .then(() => flush(logger))
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

function flush(logger: Logger): Promise<void> {
  return new Promise((resolve) => logger.flush(() => resolve()));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`Steward crashed while starting: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
