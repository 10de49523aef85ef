// The progress of a full CRM sync on stdout: a bar on a terminal (cli-progress),
// one line per stored page otherwise (logs and pipes keep every step).
import type { FullSyncProgress } from '../crm/mirror/full-sync.ts';
import type { CliIo } from './io.ts';

export function progressLine(p: FullSyncProgress): string {
  const pct = p.total ? ` (${Math.min(100, Math.round((p.processed / p.total) * 100))}%)` : '';
  return `${p.phase}: ${p.processed}/${p.total ?? '?'}${pct}`;
}

export interface ProgressReporter {
  update(p: FullSyncProgress): void;
  /** Ends the bar (its last state stays on screen). */
  stop(): void;
}

export async function progressReporter(io: CliIo): Promise<ProgressReporter> {
  const tty = (io.stdout as NodeJS.WritableStream & { isTTY?: boolean }).isTTY === true;
  if (!tty) return { update: (p) => void io.stdout.write(`${progressLine(p)}\n`), stop: () => undefined };
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stdout as NodeJS.WriteStream,
      format: 'full sync [{bar}] {percentage}% | {value}/{total} records | {phase}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      const total = Math.max(p.total ?? p.processed, p.processed, 1);
      if (!started) {
        bar.start(total, p.processed, { phase: p.phase });
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(p.processed, { phase: p.phase });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
