/**
 * `npm run demo`: see demo.ts. Settings: PORT (default 8000), HOST (default 127.0.0.1),
 * DEMO_RELEASE_SECONDS (time between releases, default 180). Ctrl-C stops everything.
 */
import { startDemo } from './demo.js';

function integer(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    process.stderr.write(`${name} must be an integer from ${min} to ${max} (got "${raw}")\n`);
    process.exit(2);
  }
  return value;
}

const print = (line: string): void => void process.stdout.write(`${line}\n`);
const releaseSeconds = integer('DEMO_RELEASE_SECONDS', 180, 1, 86_400);
const demo = await startDemo({
  host: process.env.HOST?.trim() || '127.0.0.1',
  port: integer('PORT', 8000, 0, 65_535),
  releaseEveryMs: releaseSeconds * 1000,
  print,
});
print(`trialwatch demo: ${demo.url} (API docs at ${demo.url}/docs)`);
print('  loopback stand-ins for ClinicalTrials.gov (200 studies), CRIS (12) and data.go.kr 3074271 (145),');
print(`  replaying the captures in test/fixtures; a release changes some records every ${releaseSeconds} s.`);
print(`  admin token for POST ${demo.url}/api/v1/harvests: ${demo.adminToken}`);
print('  Ctrl-C stops the demo (its database is temporary).');

let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  print(`${signal}: stopping the demo…`);
  demo.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`stopping the demo failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
};
void demo.exited.then((code) => {
  if (stopping) return;
  process.stderr.write(
    `trialwatch serve stopped on its own (exit code ${String(code)}); stopping the demo\n`,
  );
  stopping = true;
  void demo.stop().finally(() => process.exit(1));
});
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
