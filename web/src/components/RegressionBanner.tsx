import { For, Show } from 'solid-js';
import { deltaPct, judgeLabel, pValue } from '../lib/format';
import { type JudgeRegression, regressionP } from '../lib/summary';

/** Stored by the regression step or answered by the compare API; older summaries lack the statistics. */
type Regression = Pick<JudgeRegression, 'judge_type' | 'verdict'> &
  Partial<Pick<JudgeRegression, 'delta' | 'p_value' | 'adjusted_p_value' | 'n'>>;

/** "⚠ Regression detected: Similarity dropped 3.2% (p=0.02, n=100)" for each regressed judge. */
export function regressionSentence(r: Regression) {
  const delta = r.delta ?? null;
  const change = delta === null ? 'regressed' : `dropped ${deltaPct(Math.abs(delta)).replace(/^[+±−]/, '')}`;
  const stats = [pValue(regressionP(r)), r.n !== null && r.n !== undefined ? `n=${r.n}` : null]
    .filter((s) => s && s !== '–')
    .join(', ');
  return `${judgeLabel(r.judge_type)} ${change}${stats ? ` (${stats})` : ''}`;
}

/** Regressions to act on; a demonstration judge's are left out (its scores are not a judgement). */
export function RegressionBanner(props: {
  regressions: Regression[] | undefined;
  demonstrations?: ReadonlySet<string>;
}) {
  const regressed = () =>
    (props.regressions ?? []).filter(
      (r) => r.verdict === 'regression' && !props.demonstrations?.has(r.judge_type),
    );
  return (
    <Show when={regressed().length}>
      <div class="banner banner-fail" role="alert">
        <strong>
          <span aria-hidden="true">⚠️ </span>Regression detected:
        </strong>
        <ul>
          <For each={regressed()}>{(r) => <li>{regressionSentence(r)}</li>}</For>
        </ul>
      </div>
    </Show>
  );
}
