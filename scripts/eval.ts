/**
 * Runs an evaluation suite against a model: see src/evals/cli.ts for the flags.
 *   npm run eval -- --model acme-chat --suite redteam
 *   npm run eval -- --model local --suite customer-service-golden --base-url http://127.0.0.1:8000/v1 --model-name llama3
 */
import { evalCli } from '../src/evals/cli';

evalCli(process.argv.slice(2), {
  env: process.env,
  out: (t) => process.stdout.write(t),
  err: process.stderr,
  cwd: process.cwd(),
}).then((code) => {
  process.exitCode = code;
});
