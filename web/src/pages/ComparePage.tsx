import { A, createAsync, type RoutePreloadFuncArgs, revalidate, useSearchParams } from '@solidjs/router';
import { createMemo, For, type JSX, Show } from 'solid-js';
import type { CompareView, Run, RunListQuery } from '../api/client';
import { getComparison, getRun, getRuns } from '../api/queries';
import { PassBadge, RegressionVerdictBadge, StatusBadge } from '../components/Badges';
import { GateLine } from '../components/Gate';
import { guardrailLook } from '../components/GuardrailOutcomes';
import { Loadable } from '../components/Loadable';
import { LongText } from '../components/LongText';
import { Pagination } from '../components/Pagination';
import { RegressionBanner } from '../components/RegressionBanner';
import { RunIdentity, runIdentityText } from '../components/RunIdentity';
import { ReviewControl } from '../components/review/ReviewControl';
import { WordDiff } from '../components/WordDiff';
import { judgeDeltas } from '../lib/compare-rows';
import { dateTime, deltaPct, judgeLabel, pct, pValue, score, shortId } from '../lib/format';
import { readSummary, type StoredGuardrail } from '../lib/summary';
import { usePageTitle } from '../lib/title';

/** Runs offered in the pickers. */
const PICKER_RUNS = 100;
const SAMPLE_PAGE = 50;
const FIRST_SAMPLE_PAGE = { offset: 0, limit: SAMPLE_PAGE };

type Comparison = NonNullable<Awaited<ReturnType<typeof getComparison>>['comparison']>;
type SampleRow = Comparison['samples']['items'][number];
type SampleSide = SampleRow['baseline'];

type CompareSearch = {
  project?: string;
  a?: string;
  b?: string;
  sort?: string;
  judge?: string;
  show?: string;
  offset?: string;
  limit?: string;
};

type CompareSort = NonNullable<CompareView['sort']>;
type ChangeFilter = NonNullable<CompareView['change']> | 'all';

/** The per-sample view as the page shows it; the server sorts and filters the whole pair. */
interface SampleView {
  sort: CompareSort;
  judge?: string;
  change: ChangeFilter;
}

const SORTS: { value: CompareSort; label: string }[] = [
  { value: 'changed', label: 'changed outcomes first' },
  { value: 'regression', label: 'largest score drop first' },
  { value: 'sample', label: 'sample key' },
];
const CHANGES: { value: ChangeFilter; label: string }[] = [
  { value: 'all', label: 'all samples' },
  { value: 'changed', label: 'changed only' },
  { value: 'unchanged', label: 'unchanged only' },
  { value: 'regressed', label: 'regressed only' },
  { value: 'improved', label: 'improved only' },
];

/** The view in the URL (`sort`, `judge`, `show`); unknown values fall back to the defaults. */
export function compareViewFromSearch(q: CompareSearch): SampleView {
  const sort = SORTS.some((x) => x.value === q.sort) ? (q.sort as CompareSort) : 'changed';
  const change = CHANGES.some((x) => x.value === q.show) ? (q.show as ChangeFilter) : 'all';
  return { sort, change, judge: q.judge || undefined };
}

/** The API's query for a view: page and preload pass the same one, so the preloaded answer is reused. */
const apiView = (v: SampleView): CompareView => ({
  sort: v.sort,
  ...(v.judge ? { judge: v.judge } : {}),
  ...(v.change !== 'all' ? { change: v.change } : {}),
});

function samplePage(q: CompareSearch) {
  const n = (v: string | undefined, d: number) => {
    const x = Number(v);
    return v && Number.isFinite(x) ? Math.floor(x) : d;
  };
  return {
    offset: Math.max(0, n(q.offset, FIRST_SAMPLE_PAGE.offset)),
    limit: Math.min(500, Math.max(1, n(q.limit, FIRST_SAMPLE_PAGE.limit))),
  };
}

const pickerQuery = (project: string | undefined): RunListQuery => ({
  offset: 0,
  limit: PICKER_RUNS,
  project_id: project || undefined,
});

export const preloadCompare = ({ location }: RoutePreloadFuncArgs) => {
  const q = location.query as CompareSearch;
  void getRuns(pickerQuery(q.project));
  if (q.a && q.b) {
    const page = samplePage(q);
    void getRun(q.a);
    void getRun(q.b);
    void getComparison(q.a, q.b, page.offset, page.limit, apiView(compareViewFromSearch(q)));
  }
};

const runLabel = (r: Run) => {
  const identity = runIdentityText(r);
  return `Run ${shortId(r.id)}${identity ? ` · ${identity}` : ''} · ${r.status} · ${dateTime(r.created_at)}${r.git_branch ? ` · ${r.git_branch}` : ''}`;
};

function RunPicker(props: {
  label: string;
  value: string | undefined;
  runs: Run[];
  onChange: (id: string) => void;
}) {
  return (
    <label>
      {props.label}
      <select value={props.value ?? ''} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">choose a run…</option>
        <For each={props.runs}>{(r) => <option value={r.id}>{runLabel(r)}</option>}</For>
      </select>
    </label>
  );
}

/** The guardrail of `judge` in a summary, if one was configured. */
const guardrailOf = (guardrails: StoredGuardrail[] | undefined, judge: string) =>
  guardrails?.find((g) => g.judge_type === judge);

function GuardrailCell(props: { guardrail: StoredGuardrail | undefined }) {
  return (
    <td>
      <Show when={props.guardrail} fallback={<span class="muted">no guardrail</span>}>
        {(g) => <span class={`badge badge-${guardrailLook(g()).kind}`}>{guardrailLook(g()).label}</span>}
      </Show>
    </td>
  );
}

/**
 * Per judge, side by side from the two runs' own summaries: pass rates and guardrail outcomes. Never
 * averaged into one "overall" figure, which would hide a new blocking failure behind other judges' gains.
 */
function SummaryDiff(props: { a: Run; b: Run }) {
  const rows = createMemo(() => {
    const sa = readSummary(props.a.summary);
    const sb = readSummary(props.b.summary);
    const ja = sa.judges ?? {};
    const jb = sb.judges ?? {};
    const judges = new Set([
      ...Object.keys(ja),
      ...Object.keys(jb),
      ...(sa.guardrails ?? []).map((g) => g.judge_type),
      ...(sb.guardrails ?? []).map((g) => g.judge_type),
    ]);
    return [...judges].sort().map((judge) => {
      const gb = guardrailOf(sb.guardrails, judge);
      return {
        judge,
        a: ja[judge]?.pass_rate ?? null,
        b: jb[judge]?.pass_rate ?? null,
        guardA: guardrailOf(sa.guardrails, judge),
        guardB: gb,
        blocking: gb?.is_blocking && !gb.demonstration,
      };
    });
  });
  return (
    <table aria-label="Pass rate and guardrail per judge">
      <thead>
        <tr>
          <th scope="col">Judge</th>
          <th scope="col">Baseline pass rate</th>
          <th scope="col">Candidate pass rate</th>
          <th scope="col">Change</th>
          <th scope="col">Baseline guardrail</th>
          <th scope="col">Candidate guardrail</th>
        </tr>
      </thead>
      <tbody>
        <For each={rows()}>
          {(r) => (
            <tr classList={{ failed: r.blocking && r.guardB?.outcome === 'fail' }} data-judge={r.judge}>
              <th scope="row">
                {judgeLabel(r.judge)}
                <Show when={r.blocking}>
                  {' '}
                  <span class="muted">(blocking)</span>
                </Show>
              </th>
              <td class="num">{pct(r.a, 1)}</td>
              <td class="num">{pct(r.b, 1)}</td>
              <td class="num">
                <span
                  classList={{
                    'delta-down': r.a !== null && r.b !== null && r.b - r.a < -1e-9,
                    'delta-up': r.a !== null && r.b !== null && r.b - r.a > 1e-9,
                  }}
                >
                  {r.a !== null && r.b !== null ? deltaPct(r.b - r.a) : '–'}
                </span>
              </td>
              <GuardrailCell guardrail={r.guardA} />
              <GuardrailCell guardrail={r.guardB} />
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

/** Each judge's score change on one sample: "Similarity 0.86 → 0.71 (−0.15)", flips called out. */
function ScoreChanges(props: { row: SampleRow; judge?: string }) {
  const deltas = () => judgeDeltas(props.row).filter((d) => !props.judge || d.judge === props.judge);
  return (
    <td class="score-changes">
      <ul class="plain">
        <For each={deltas()}>
          {(d) => (
            <li data-judge={d.judge}>
              {judgeLabel(d.judge)} {score(d.baseline)} → {score(d.candidate)}{' '}
              <span
                classList={{
                  'delta-down': (d.delta ?? 0) < -1e-9,
                  'delta-up': (d.delta ?? 0) > 1e-9,
                }}
              >
                (
                {d.delta === null
                  ? '–'
                  : `${d.delta > 0 ? '+' : d.delta < 0 ? '−' : '±'}${Math.abs(d.delta).toFixed(2)}`}
                )
              </span>
              <Show when={d.flip}>
                {' '}
                <span class={`badge badge-${d.flip === 'regressed' ? 'fail' : 'pass'}`}>
                  {d.flip === 'regressed' ? 'pass → fail' : 'fail → pass'}
                </span>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </td>
  );
}

function SideCell(props: { side: SampleSide; sampleKey: string; which: string; against?: SampleSide }) {
  return (
    <td class="cell-text">
      <Show
        when={props.side.status !== 'failed'}
        fallback={<span class="badge badge-fail">model error</span>}
      >
        <LongText text={props.side.llm_output} limit={160} />
        <Show
          when={
            props.against?.llm_output !== undefined && props.against?.status !== 'failed' && props.against
          }
        >
          {(base) => (
            <Show when={(base().llm_output ?? '') !== (props.side.llm_output ?? '')}>
              <details class="diff-details">
                <summary>Changes from the baseline</summary>
                <WordDiff
                  before={base().llm_output ?? ''}
                  after={props.side.llm_output ?? ''}
                  label={`Output of ${props.sampleKey}, baseline to candidate`}
                />
              </details>
            </Show>
          )}
        </Show>
      </Show>
      <For each={Object.entries(props.side.scores).sort(([a], [b]) => a.localeCompare(b))}>
        {([judge, s]) => (
          <div class="side-score">
            {judgeLabel(judge)} {score(s.score)} <PassBadge passed={s.passed} />
          </div>
        )}
      </For>
    </td>
  );
}

/** Controls of the per-sample table: sort, judge and changed/unchanged, all kept in the URL. */
function SampleControls(props: {
  view: SampleView;
  judges: string[];
  onChange: (next: Partial<Record<'sort' | 'judge' | 'show', string | undefined>>) => void;
}) {
  return (
    <form class="filters" aria-label="Sample view" onSubmit={(e) => e.preventDefault()}>
      <label>
        Sort
        <select
          name="sort"
          value={props.view.sort}
          onChange={(e) =>
            props.onChange({ sort: e.currentTarget.value === 'changed' ? undefined : e.currentTarget.value })
          }
        >
          <For each={SORTS}>{(o) => <option value={o.value}>{o.label}</option>}</For>
        </select>
      </label>
      <label>
        Judge
        <select
          name="judge"
          value={props.view.judge ?? ''}
          onChange={(e) => props.onChange({ judge: e.currentTarget.value || undefined })}
        >
          <option value="">all judges</option>
          <For each={props.judges}>{(j) => <option value={j}>{judgeLabel(j)}</option>}</For>
        </select>
      </label>
      <label>
        Show
        <select
          name="show"
          value={props.view.change}
          onChange={(e) =>
            props.onChange({ show: e.currentTarget.value === 'all' ? undefined : e.currentTarget.value })
          }
        >
          <For each={CHANGES}>{(o) => <option value={o.value}>{o.label}</option>}</For>
        </select>
      </label>
    </form>
  );
}

function ComparisonView(props: {
  comparison: Comparison;
  a: Run;
  b: Run;
  view: SampleView;
  onView: (next: Partial<Record<'sort' | 'judge' | 'show', string | undefined>>) => void;
  onPage: (page: { offset: number; limit: number }) => void;
  /** A per-sample control (human review) shown in its own column when given. */
  sampleAction?: (row: SampleRow) => JSX.Element;
}) {
  // Every judge either run recorded (the per-judge tests list them all), not just this page's.
  const judges = createMemo(() =>
    [
      ...new Set([
        ...props.comparison.judges.map((j) => j.judge_type),
        ...props.comparison.samples.items.flatMap((s) => [
          ...Object.keys(s.baseline.scores),
          ...Object.keys(s.candidate.scores),
        ]),
        ...(props.view.judge ? [props.view.judge] : []),
      ]),
    ].sort(),
  );
  const rows = () => props.comparison.samples.items;
  const filtered = () => props.view.judge !== undefined || props.view.change !== 'all';
  const columns = () => (props.sampleAction ? 6 : 5);
  return (
    <>
      <RegressionBanner regressions={props.comparison.judges} />
      <section class="panel" aria-labelledby="cmp-pass">
        <h2 id="cmp-pass">Pass rates and guardrails</h2>
        <SummaryDiff a={props.a} b={props.b} />
      </section>
      <section class="panel" aria-labelledby="cmp-judges">
        <h2 id="cmp-judges">
          Per judge{' '}
          <span class="muted">
            ({props.comparison.paired ? 'paired on shared samples' : 'independent samples'}, Holm-corrected,
            α=
            {props.comparison.alpha})
          </span>
        </h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Judge</th>
              <th scope="col">Verdict</th>
              <th scope="col">Baseline mean</th>
              <th scope="col">Candidate mean</th>
              <th scope="col">Change</th>
              <th scope="col">p (adjusted)</th>
              <th scope="col">n</th>
              <th scope="col">Test</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.comparison.judges}>
              {(j) => (
                <tr classList={{ failed: j.verdict === 'regression' }} title={j.reason}>
                  <td>{judgeLabel(j.judge_type)}</td>
                  <td>
                    <RegressionVerdictBadge verdict={j.verdict} />
                  </td>
                  <td class="num">{score(j.baseline_mean)}</td>
                  <td class="num">{score(j.current_mean)}</td>
                  <td class="num">{deltaPct(j.delta)}</td>
                  <td class="num">{pValue(j.adjusted_p_value ?? j.p_value)}</td>
                  <td class="num">{j.n}</td>
                  <td class="muted">{j.test}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </section>
      <section class="panel" aria-labelledby="cmp-samples">
        <h2 id="cmp-samples">Per sample</h2>
        <SampleControls view={props.view} judges={judges()} onChange={props.onView} />
        <p class="muted" data-testid="sample-view">
          Across both whole runs: {props.comparison.samples.total}{' '}
          {props.comparison.samples.total === 1 ? 'sample' : 'samples'}
          {props.view.change !== 'all' ? ` ${props.view.change}` : ''}
          {props.view.judge ? ` on ${judgeLabel(props.view.judge)}` : ''}
          {props.view.sort === 'regression'
            ? ', largest score drop first'
            : props.view.sort === 'sample'
              ? ', by sample key'
              : ', changed outcomes first'}
          .
        </p>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a table wider than the page scrolls, and keyboard users must reach it */}
        <section class="table-scroll" aria-label="Samples compared, scrollable" tabIndex={0}>
          <table class="results" aria-label="Samples compared">
            <thead>
              <tr>
                <th scope="col">Sample</th>
                <th scope="col">Input</th>
                <th scope="col">Baseline {shortId(props.a.id)}</th>
                <th scope="col">Candidate {shortId(props.b.id)}</th>
                <th scope="col">Score change</th>
                <Show when={props.sampleAction}>
                  <th scope="col">Review (candidate)</th>
                </Show>
              </tr>
            </thead>
            <tbody>
              <For
                each={rows()}
                fallback={
                  <tr>
                    <td colSpan={columns()} class="muted">
                      {filtered() ? 'No sample matches.' : 'The runs share no samples.'}
                    </td>
                  </tr>
                }
              >
                {(s) => (
                  <tr classList={{ failed: s.changed }} data-sample={s.sample_key}>
                    <th scope="row">
                      {s.sample_key}
                      {s.repetition ? ` #${s.repetition}` : ''}
                      <Show when={s.changed}>
                        {' '}
                        <span class="badge badge-warn">changed</span>
                      </Show>
                    </th>
                    <td class="cell-text">
                      <LongText text={s.input_text} limit={160} />
                    </td>
                    <SideCell side={s.baseline} sampleKey={s.sample_key} which="baseline" />
                    <SideCell
                      side={s.candidate}
                      sampleKey={s.sample_key}
                      which="candidate"
                      against={s.baseline}
                    />
                    <ScoreChanges row={s} judge={props.view.judge} />
                    <Show when={props.sampleAction}>{(action) => <td>{action()(s)}</td>}</Show>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </section>
        <Pagination
          offset={props.comparison.samples.offset}
          limit={props.comparison.samples.limit}
          total={props.comparison.samples.total}
          onChange={props.onPage}
          label="Sample pages"
        />
      </section>
    </>
  );
}

/** Baseline and candidate with the gate's decision on each. */
function RunPair(props: { runs: Run[] }) {
  return (
    <section class="panel" aria-label="Runs compared">
      <For each={props.runs}>
        {(r, i) => (
          <div class="compared-run">
            <p>
              <strong>{i() === 0 ? 'Baseline' : 'Candidate'}:</strong>{' '}
              <A href={`/runs/${r.id}`}>Run {shortId(r.id)}</A> <StatusBadge status={r.status} />{' '}
              <RunIdentity run={r} />{' '}
              <span class="muted">
                {dateTime(r.created_at)}
                {r.git_branch ? ` · ${r.git_branch}` : ''}
              </span>
            </p>
            <GateLine gate={r.gate} />
          </div>
        )}
      </For>
    </section>
  );
}

export function ComparePage() {
  const [search, setSearch] = useSearchParams<CompareSearch>();
  const page = createMemo(() => samplePage(search), undefined, {
    equals: (x, y) => x.offset === y.offset && x.limit === y.limit,
  });
  const setPage = (p: { offset: number; limit: number }) =>
    setSearch({
      offset: p.offset ? String(p.offset) : undefined,
      limit: p.limit !== FIRST_SAMPLE_PAGE.limit ? String(p.limit) : undefined,
    });
  const view = createMemo(() => compareViewFromSearch(search));
  const runs = createAsync(() => getRuns(pickerQuery(search.project)));
  const pair = () => (search.a && search.b ? { a: search.a, b: search.b } : null);
  usePageTitle(() => {
    const p = pair();
    return p ? `Compare ${shortId(p.a)} → ${shortId(p.b)}` : 'Compare runs';
  });
  const runsAB = createAsync(async () => {
    const p = pair();
    return p ? Promise.all([getRun(p.a), getRun(p.b)]) : undefined;
  });
  const comparison = createAsync(async () => {
    const p = pair();
    return p ? getComparison(p.a, p.b, page().offset, page().limit, apiView(view())) : undefined;
  });
  const choose = (side: 'a' | 'b', id: string) => {
    setSearch({ [side]: id || undefined, offset: undefined });
  };

  return (
    <>
      <h1>Compare runs</h1>
      <Loadable data={runs} label="runs" retry={() => revalidate(getRuns.key)}>
        {(list) => (
          <form class="filters" aria-label="Runs to compare" onSubmit={(e) => e.preventDefault()}>
            <RunPicker
              label="Baseline"
              value={search.a}
              runs={list().items}
              onChange={(id) => choose('a', id)}
            />
            <RunPicker
              label="Candidate"
              value={search.b}
              runs={list().items}
              onChange={(id) => choose('b', id)}
            />
          </form>
        )}
      </Loadable>
      <Show when={pair()} fallback={<p class="empty">Pick a baseline and a candidate run.</p>}>
        <Loadable data={runsAB} label="runs" retry={() => revalidate(getRun.key)}>
          {(ab) => (
            <>
              <RunPair runs={ab()} />
              <Loadable
                data={comparison}
                label="comparison"
                errorTitle="Comparison failed"
                retry={() => revalidate(getComparison.key)}
              >
                {(c) => (
                  <Show
                    when={c().comparison}
                    fallback={
                      <>
                        <div class="banner banner-info" role="status">
                          <strong>Comparison not available:</strong> this server has no comparison API (GET
                          /api/eval/compare), so there are no p-values or per-sample pairs. The runs' own pass
                          rates:
                        </div>
                        <section class="panel">
                          <SummaryDiff a={ab()[0]} b={ab()[1]} />
                        </section>
                      </>
                    }
                  >
                    {(data) => (
                      <ComparisonView
                        comparison={data()}
                        a={ab()[0]}
                        b={ab()[1]}
                        view={view()}
                        onView={(next) => setSearch({ ...next, offset: undefined })}
                        onPage={setPage}
                        sampleAction={(row) => (
                          <Show
                            when={row.candidate.result_id}
                            fallback={<span class="muted">no result</span>}
                          >
                            {(resultId) => (
                              <details class="review-details">
                                {/* The key only for screen readers: sample keys can be long, and the row shows it. */}
                                <summary>
                                  Review<span class="sr-only"> {row.sample_key}</span>
                                </summary>
                                <ReviewControl
                                  runId={ab()[1].id}
                                  resultId={resultId()}
                                  judges={Object.keys(row.candidate.scores).sort()}
                                  compact
                                />
                              </details>
                            )}
                          </Show>
                        )}
                      />
                    )}
                  </Show>
                )}
              </Loadable>
            </>
          )}
        </Loadable>
      </Show>
    </>
  );
}
