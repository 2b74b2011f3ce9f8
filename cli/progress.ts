/**
 * Progress of a run while `--wait` polls: a redrawn bar on an interactive terminal, plain lines
 * (on each phase change and every PLAIN_STEP_PERCENT) in CI logs, nothing with --json.
 */
export interface RunProgress {
  status: string;
  phase: string;
  total: number;
  done: number;
  failed: number;
}

export interface ProgressReporter {
  update(p: RunProgress): void;
  finish(): void;
}

export const PLAIN_STEP_PERCENT = 10;
const BAR_WIDTH = 30;

const percent = (p: RunProgress) => (p.total > 0 ? Math.floor((p.done / p.total) * 100) : 0);

export function createProgressReporter(
  out: NodeJS.WriteStream,
  opts: { interactive: boolean; quiet: boolean; runId: string },
): ProgressReporter {
  if (opts.quiet) return { update() {}, finish() {} };
  if (opts.interactive) {
    let drawn = false;
    return {
      update(p) {
        const filled = p.total > 0 ? Math.round((p.done / p.total) * BAR_WIDTH) : 0;
        const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
        const failed = p.failed ? `  ${p.failed} failed` : '';
        out.write(`\r\x1b[2K${p.phase.padEnd(11)} ${bar} ${p.done}/${p.total} (${percent(p)}%)${failed}`);
        drawn = true;
      },
      finish() {
        if (drawn) out.write('\n');
      },
    };
  }
  let lastPhase = '';
  let lastStep = -1;
  return {
    update(p) {
      const step = Math.floor(percent(p) / PLAIN_STEP_PERCENT);
      if (p.phase === lastPhase && step === lastStep) return;
      lastPhase = p.phase;
      lastStep = step;
      const failed = p.failed ? `, ${p.failed} failed` : '';
      out.write(`evalforge: run ${opts.runId} ${p.phase} ${p.done}/${p.total} (${percent(p)}%${failed})\n`);
    },
    finish() {},
  };
}
