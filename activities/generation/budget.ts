import type { DataSource } from 'typeorm';

/** What a run has spent so far: generation plus judge spend (LLM-as-judge), from the database. */
export async function runSpendUsd(dataSource: DataSource, runId: string): Promise<number> {
  const [row] = await dataSource.query(
    `SELECT (SELECT COALESCE(sum(cost_usd), 0) FROM eval_results WHERE run_id = $1)
          + (SELECT COALESCE(sum(cost_usd), 0) FROM judge_scores WHERE run_id = $1) AS spent`,
    [runId],
  );
  return Number(row.spent);
}

// Worst-case cost of calls in flight per run, per worker process (keyed by its pool, like the limiters),
// so two chunks of one run in the same worker see each other's reservations.
const inFlightByPool = new WeakMap<DataSource, Map<string, number>>();

/**
 * Fail-closed budget check for one run. A call may start only if what is spent (database) plus every
 * reservation of this worker plus its own worst case stays within the cap; the reservation holds until
 * its result row is written. Other workers' calls in flight are not visible: each can overshoot the cap
 * by at most its own worst-case call.
 */
export class BudgetGuard {
  readonly #inFlight: Map<string, number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly runId: string,
    private readonly budgetUsd: number,
  ) {
    let map = inFlightByPool.get(dataSource);
    if (!map) {
      map = new Map();
      inFlightByPool.set(dataSource, map);
    }
    this.#inFlight = map;
  }

  #add(usd: number) {
    const next = (this.#inFlight.get(this.runId) ?? 0) + usd;
    if (next <= 1e-12) this.#inFlight.delete(this.runId);
    else this.#inFlight.set(this.runId, next);
    return next;
  }

  /** Reserves `worstCaseUsd`; returns its release, or null when the call could pass the cap. */
  async reserve(worstCaseUsd: number): Promise<(() => void) | null> {
    // Reserved before the await, so concurrent callers in this process count each other.
    this.#add(worstCaseUsd);
    let spent: number;
    try {
      spent = await runSpendUsd(this.dataSource, this.runId);
    } catch (err) {
      this.#add(-worstCaseUsd);
      throw err;
    }
    if (spent + (this.#inFlight.get(this.runId) ?? 0) > this.budgetUsd) {
      this.#add(-worstCaseUsd);
      return null;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#add(-worstCaseUsd);
    };
  }
}
