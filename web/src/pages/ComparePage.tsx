import { A, createAsync, type RoutePreloadFuncArgs, revalidate, useSearchParams } from '@solidjs/router';
import { createMemo, createSignal, For, Show } from 'solid-js';
import type { Run, RunListQuery } from '../api/client';
import { getComparison, getRun, getRuns } from '../api/queries';
import { PassBadge, RegressionVerdictBadge, StatusBadge } from '../components/Badges';
import { GateLine } from '../components/Gate';
import { Loadable } from '../components/Loadable';
import { LongText } from '../components/LongText';
import { Pagination } from '../components/Pagination';
import { RegressionBanner } from '../components/RegressionBanner';
import { dateTime, deltaPct, judgeLabel, pct, pValue, score, shortId } from '../lib/format';
import { readSummary } from '../lib/summary';

/** Runs offered in the pickers. */
const PICKER_RUNS = 100;
const SAMPLE_PAGE = 50;
const FIRST_SAMPLE_PAGE = { offset: 0, limit: SAMPLE_PAGE };

type Comparison = NonNullable<Awaited<ReturnType<typeof getComparison>>['comparison']>;
type SampleSide = Comparison['samples']['items'][number]['baseline'];

const pickerQuery = (project: string | undefined): RunListQuery => ({
  offset: 0,
  limit: PICKER_RUNS,
  project_id: project || undefined,
});

export const preloadCompare = ({ location }: RoutePreloadFuncArgs) => {
  const { project, a, b } = location.query as { project?: string; a?: string; b?: string };
  void getRuns(pickerQuery(project));
  if (a && b) {
    void getRun(a);
    void getRun(b);
    void getComparison(a, b, FIRST_SAMPLE_PAGE.offset, FIRST_SAMPLE_PAGE.limit);
  }
};

const runLabel = (r: Run) =>
  `Run ${shortId(r.id)} · ${r.status} · ${dateTime(r.created_at)}${r.git_branch ? ` · ${r.git_branch}` : ''}`;

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

/** Per-judge side by side from the two runs' own summaries: what can be shown without statistics. */
function SummaryDiff(props: { a: Run; b: Run }) {
  const rows = createMemo(() => {
    const ja = readSummary(props.a.summary).judges ?? {};
    const jb = readSummary(props.b.summary).judges ?? {};
    return [...new Set([...Object.keys(ja), ...Object.keys(jb)])].sort().map((judge) => ({
      judge,
      a: ja[judge]?.pass_rate ?? null,
      b: jb[judge]?.pass_rate ?? null,
    }));
  });
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Judge</th>
          <th scope="col">Run {shortId(props.a.id)} pass rate</th>
          <th scope="col">Run {shortId(props.b.id)} pass rate</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        <For each={rows()}>
          {(r) => (
            <tr>
              <td>{judgeLabel(r.judge)}</td>
              <td class="num">{pct(r.a, 1)}</td>
              <td class="num">{pct(r.b, 1)}</td>
              <td class="num">{r.a !== null && r.b !== null ? deltaPct(r.b - r.a) : '–'}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

function SideCell(props: { side: SampleSide }) {
  return (
    <td class="cell-text">
      <Show
        when={props.side.status !== 'failed'}
        fallback={<span class="badge badge-fail">model error</span>}
      >
        <LongText text={props.side.llm_output} limit={160} />
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

function ComparisonView(props: {
  comparison: Comparison;
  a: Run;
  b: Run;
  onPage: (page: { offset: number; limit: number }) => void;
}) {
  return (
    <>
      <RegressionBanner regressions={props.comparison.judges} />
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
        <h2 id="cmp-samples">Per sample (changed outcomes first)</h2>
        <div class="table-scroll">
          <table class="results">
            <thead>
              <tr>
                <th scope="col">Sample</th>
                <th scope="col">Input</th>
                <th scope="col">Baseline {shortId(props.a.id)}</th>
                <th scope="col">Candidate {shortId(props.b.id)}</th>
              </tr>
            </thead>
            <tbody>
              <For
                each={props.comparison.samples.items}
                fallback={
                  <tr>
                    <td colSpan={4} class="muted">
                      The runs share no samples.
                    </td>
                  </tr>
                }
              >
                {(s) => (
                  <tr classList={{ failed: s.changed }}>
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
                    <SideCell side={s.baseline} />
                    <SideCell side={s.candidate} />
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
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
  const [search, setSearch] = useSearchParams<{ project?: string; a?: string; b?: string }>();
  const [page, setPage] = createSignal(FIRST_SAMPLE_PAGE);
  const runs = createAsync(() => getRuns(pickerQuery(search.project)));
  const pair = () => (search.a && search.b ? { a: search.a, b: search.b } : null);
  const runsAB = createAsync(async () => {
    const p = pair();
    return p ? Promise.all([getRun(p.a), getRun(p.b)]) : undefined;
  });
  const comparison = createAsync(async () => {
    const p = pair();
    return p ? getComparison(p.a, p.b, page().offset, page().limit) : undefined;
  });
  const choose = (side: 'a' | 'b', id: string) => {
    setPage((p) => ({ ...p, offset: 0 }));
    setSearch({ [side]: id || undefined });
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
                      <ComparisonView comparison={data()} a={ab()[0]} b={ab()[1]} onPage={setPage} />
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
