// `npm run bench:cli`: how long `ringpath phone normalize +380501234567` takes
// as a process, against `node -e 0` (Node starting and doing nothing). It runs
// what production runs: bin/ringpath.js on the compiled JavaScript in
// dist/bundle/, built first from the sources as they are now (npm run build).
// Runs alternate between the two commands so a busy machine slows both alike:
// cli_ms and node_ms are the medians, ratio the median of the ratios of
// back-to-back pairs. Target: ratio ≤ 3. The last line is JSON.
import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/process.ts';

const RUNS = 21;
const WARMUP = 3;
const CLI = [path.join(REPO_ROOT, 'bin/ringpath.js'), 'phone', 'normalize', '+380501234567'];
const NODE = ['-e', '0'];
// only what a shell would pass: no RINGPATH_SOURCE, so bin/ringpath.js runs dist/
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root' };

function timeRun(args: string[], expect: string): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 || r.stdout !== expect) throw new Error(`${args.join(' ')} failed (exit ${r.status}): ${r.stdout}${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const round = (x: number) => Math.round(x * 10) / 10;

console.log('building dist/ (npm run build)');
execFileSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });

for (let i = 0; i < WARMUP; i++) {
  timeRun(CLI, '+380501234567\n');
  timeRun(NODE, '');
}
const cli: number[] = [];
const node: number[] = [];
for (let i = 0; i < RUNS; i++) {
  cli.push(timeRun(CLI, '+380501234567\n'));
  node.push(timeRun(NODE, ''));
}
const cliMs = median(cli);
const nodeMs = median(node);
// each pair ran back to back, under the same load from other processes: the
// median of the pairs' ratios is steadier on a busy machine than a ratio of medians
const ratio = median(cli.map((c, i) => c / node[i]!));
console.log(`ringpath phone normalize +380501234567: median ${round(cliMs)} ms (min ${round(Math.min(...cli))}, max ${round(Math.max(...cli))}) over ${RUNS} runs`);
console.log(`node -e 0: median ${round(nodeMs)} ms (min ${round(Math.min(...node))}, max ${round(Math.max(...node))})`);
console.log(`ratio of the medians ${(cliMs / nodeMs).toFixed(2)}, of the fastest runs ${(Math.min(...cli) / Math.min(...node)).toFixed(2)}`);
console.log(`ratio ${ratio.toFixed(2)} (median of the paired ratios): target ≤ 3 ${ratio <= 3 ? 'met' : 'NOT met'} (Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(2)})`);
console.log(JSON.stringify({ cli_ms: round(cliMs), node_ms: round(nodeMs), ratio: Math.round(ratio * 100) / 100 }));
