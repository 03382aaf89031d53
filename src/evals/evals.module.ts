/**
 * Evaluations in the process: binds one evaluation runtime to the connection (suites from the
 * playbooks folder, the per-endpoint concurrency from config) and gives the shared
 * conversation its `eval run` starter. The worker's jobs find the same runtime.
 */
import path from 'node:path';
import { extendConversation } from '../app/services';
import type { StewardModule } from '../server/module';
import { bindEvalRuntime, chatEvalStarter, evalRuntimeOnConnection } from './service';

export const evalsModule: StewardModule = {
  name: 'evals',
  roles: ['web', 'worker'],
  async start({ config, conn, domain }) {
    const ctx = await domain();
    const runtime = bindEvalRuntime(
      conn,
      evalRuntimeOnConnection(conn, {
        suitesDir: path.join(config.playbooksDir, 'evals'),
        concurrency: config.evalMaxConcurrencyPerEndpoint,
      }),
    );
    extendConversation(ctx, { startEvalRun: chatEvalStarter(ctx, runtime) });
  },
};
