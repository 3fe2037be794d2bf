/**
 * Summarises a V8 CPU profile (`.cpuprofile`, as written by `node --cpu-prof` or
 * `npm run bench -- … --profile`): where the time went, by self time per function and per
 * module (our `src/` files, each package, Node internals, garbage collection, idle), and the
 * inclusive time of our own functions.
 *
 *   node --import tsx bench/profile-summary.ts bench/results/profiles/<run>/<file>.cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** A module name for a script URL: `src/harvest/canonical.ts`, `kysely`, `node:internal`, … */
function moduleOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') {
    if (functionName === '(garbage collector)') return '(gc)';
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(program)') return '(program)';
    return '(native)';
  }
  if (url.startsWith('node:')) return 'node:internal';
  const path = url.replace(/^file:\/\//, '');
  const packages = path.lastIndexOf('/node_modules/');
  if (packages >= 0) {
    const parts = path.slice(packages + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const project = /\/(src|bench|test)\/(.*)$/.exec(path);
  return project === null ? path : `${project[1]}/${project[2]}`;
}

function label(frame: CallFrame): string {
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  const module = moduleOf(frame);
  if (module.startsWith('(')) return name;
  // tsx-compiled files report line 0: the function name and file say enough.
  return frame.lineNumber > 0 ? `${name}  ${module}:${frame.lineNumber + 1}` : `${name}  ${module}`;
}

export interface ProfileSummary {
  totalMs: number;
  selfByFunction: [string, number][];
  selfByModule: [string, number][];
  /** Inclusive time of functions in `src/` (time with them on the stack, counted once per sample). */
  inclusiveOwn: [string, number][];
}

export function summarise(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  // Time per sample: the delta to the next sample (the last one gets the mean).
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const selfUs = new Map<number, number>();
  const meanDelta = samples.length === 0 ? 0 : (profile.endTime - profile.startTime) / samples.length;
  for (let i = 0; i < samples.length; i++) {
    const us = deltas[i + 1] ?? meanDelta;
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + us);
  }
  const selfByFunction = new Map<string, number>();
  const selfByModule = new Map<string, number>();
  const inclusiveOwn = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    selfByFunction.set(label(node.callFrame), (selfByFunction.get(label(node.callFrame)) ?? 0) + us);
    const module = moduleOf(node.callFrame);
    selfByModule.set(module, (selfByModule.get(module) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (!moduleOf(frame).startsWith('src/')) continue;
      const name = label(frame);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusiveOwn.set(name, (inclusiveOwn.get(name) ?? 0) + us);
    }
  }
  const sorted = (map: Map<string, number>): [string, number][] =>
    [...map.entries()].map(([key, us]): [string, number] => [key, us / 1000]).sort((a, b) => b[1] - a[1]);
  return {
    totalMs: (profile.endTime - profile.startTime) / 1000,
    selfByFunction: sorted(selfByFunction),
    selfByModule: sorted(selfByModule),
    inclusiveOwn: sorted(inclusiveOwn),
  };
}

function printSection(title: string, rows: [string, number][], totalMs: number, top: number): void {
  process.stdout.write(`\n${title}\n`);
  for (const [name, ms] of rows.slice(0, top)) {
    process.stdout.write(
      `${ms.toFixed(0).padStart(9)} ms ${((ms / totalMs) * 100).toFixed(1).padStart(5)}%  ${name}\n`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string' } } });
  const top = Number(values.top ?? 25);
  for (const file of positionals) {
    const summary = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
    process.stdout.write(`== ${file}: ${(summary.totalMs / 1000).toFixed(1)} s profiled\n`);
    printSection('self time by module', summary.selfByModule, summary.totalMs, top);
    printSection('self time by function', summary.selfByFunction, summary.totalMs, top);
    printSection('inclusive time of src/ functions', summary.inclusiveOwn, summary.totalMs, top);
  }
}
