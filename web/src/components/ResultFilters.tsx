import { For } from 'solid-js';
import { judgeLabel } from '../lib/format';

/** Filters the results API applies server-side (GET /api/eval/runs/{id}/results). */
export interface ResultFilterState {
  status?: 'succeeded' | 'failed';
  judge?: string;
  passed?: 'true' | 'false';
  category?: string;
  tag?: string;
  min_score?: number;
  max_score?: number;
}

const numberOrUndefined = (v: string) => {
  if (v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : undefined;
};
const textOrUndefined = (v: string) => (v.trim() === '' ? undefined : v.trim());

/** The results API's `sort` values (dataset order when absent): `-` reverses, `score:<judge>` per judge. */
const RESULT_SORT = /^(status|-?latency|-?score:[a-z][a-z0-9_]*(:[a-z0-9][a-z0-9_.-]*)?)$/;

/** A `sort` from the URL the API accepts, or undefined (dataset order) for anything else. */
export function parseResultSort(v: string | undefined): string | undefined {
  return v && RESULT_SORT.test(v) ? v : undefined;
}

const FIXED_SORTS: Record<string, string> = {
  '': 'dataset order',
  latency: 'latency, fastest first',
  '-latency': 'latency, slowest first',
  status: 'model errors first',
};

/**
 * The sort choices as plain strings (the current one always among them), so that `For` keeps each
 * option element while the judges load and the select keeps its value.
 */
function sortValues(judges: string[], current: string | undefined) {
  const scored = new Set(judges);
  const judge = current?.replace(/^-?score:/, '');
  if (judge && judge !== current) scored.add(judge);
  return [...Object.keys(FIXED_SORTS), ...[...scored].flatMap((j) => [`score:${j}`, `-score:${j}`])];
}

function sortLabel(value: string) {
  if (value in FIXED_SORTS) return FIXED_SORTS[value];
  const judge = judgeLabel(value.replace(/^-?score:/, ''));
  return `${judge} score, ${value.startsWith('-') ? 'highest' : 'lowest'} first`;
}

export function ResultFilters(props: {
  value: ResultFilterState;
  judges: string[];
  onChange: (next: ResultFilterState) => void;
  /** The server-side order (the results API's `sort`); undefined is dataset order. */
  sort?: string;
  onSort?: (sort: string | undefined) => void;
}) {
  const set = <K extends keyof ResultFilterState>(key: K, v: ResultFilterState[K]) => {
    const next = { ...props.value, [key]: v };
    // pass/fail only means something for one judge.
    if (key === 'judge' && !v) next.passed = undefined;
    props.onChange(next);
  };
  return (
    <form class="filters" aria-label="Result filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        Status
        <select
          name="status"
          value={props.value.status ?? ''}
          onChange={(e) => set('status', (e.currentTarget.value || undefined) as ResultFilterState['status'])}
        >
          <option value="">any</option>
          <option value="succeeded">succeeded</option>
          <option value="failed">model error</option>
        </select>
      </label>
      <label>
        Judge
        <select
          name="judge"
          value={props.value.judge ?? ''}
          onChange={(e) => set('judge', e.currentTarget.value || undefined)}
        >
          <option value="">any</option>
          <For each={props.judges}>{(j) => <option value={j}>{judgeLabel(j)}</option>}</For>
        </select>
      </label>
      <label>
        Outcome
        <select
          name="passed"
          value={props.value.passed ?? ''}
          disabled={!props.value.judge}
          title={props.value.judge ? undefined : 'pick a judge first'}
          onChange={(e) => set('passed', (e.currentTarget.value || undefined) as ResultFilterState['passed'])}
        >
          <option value="">pass or fail</option>
          <option value="true">pass</option>
          <option value="false">fail</option>
        </select>
      </label>
      <label>
        Category
        <input
          name="category"
          type="text"
          value={props.value.category ?? ''}
          placeholder="metadata.category"
          onChange={(e) => set('category', textOrUndefined(e.currentTarget.value))}
        />
      </label>
      <label>
        Tag
        <input
          name="tag"
          type="text"
          value={props.value.tag ?? ''}
          placeholder="metadata.tags"
          onChange={(e) => set('tag', textOrUndefined(e.currentTarget.value))}
        />
      </label>
      <label>
        Score ≥
        <input
          name="min_score"
          type="number"
          min="0"
          max="1"
          step="0.05"
          value={props.value.min_score ?? ''}
          onChange={(e) => set('min_score', numberOrUndefined(e.currentTarget.value))}
        />
      </label>
      <label>
        Score ≤
        <input
          name="max_score"
          type="number"
          min="0"
          max="1"
          step="0.05"
          value={props.value.max_score ?? ''}
          onChange={(e) => set('max_score', numberOrUndefined(e.currentTarget.value))}
        />
      </label>
      <label>
        Sort
        <select
          name="sort"
          value={props.sort ?? ''}
          onChange={(e) => props.onSort?.(e.currentTarget.value || undefined)}
        >
          <For each={sortValues(props.judges, props.sort)}>
            {(v) => <option value={v}>{sortLabel(v)}</option>}
          </For>
        </select>
      </label>
      <button type="button" class="secondary" onClick={() => props.onChange({})}>
        Clear filters
      </button>
    </form>
  );
}
