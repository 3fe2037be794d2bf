/**
 * Vitest global setup for the e2e tier: builds `dist/` once so the tests run the CLI exactly as
 * `npm start` and `npx trialwatch` do.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
