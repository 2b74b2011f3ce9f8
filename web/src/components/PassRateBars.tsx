import { For, Show } from 'solid-js';
import { judgeLabel, pct } from '../lib/format';
import type { JudgeSummary } from '../lib/summary';

/** The seed's per-judge bars: "Toxicity ████████████████████ 99%". */
export function PassRateBars(props: {
  judges: Record<string, Pick<JudgeSummary, 'n' | 'errors' | 'pass_rate'>>;
  /** What to say when there are no judges (a live run has none yet; a finished one may have had none). */
  empty?: string;
}) {
  const rows = () => Object.entries(props.judges).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Show when={rows().length} fallback={<p class="muted">{props.empty ?? 'No judge scores yet.'}</p>}>
      <ul class="pass-bars">
        <For each={rows()}>
          {([judge, s]) => {
            const rate = () => s.pass_rate ?? 0;
            return (
              <li>
                <span class="pass-bars-label">{judgeLabel(judge)}</span>
                {/* biome-ignore lint/a11y/useSemanticElements: <meter> cannot be styled as the seed's bars across browsers */}
                <div
                  class="pass-bars-track"
                  role="meter"
                  aria-label={`${judgeLabel(judge)} pass rate`}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={Math.round(rate() * 100)}
                  aria-valuetext={pct(s.pass_rate)}
                >
                  <div
                    class="pass-bars-fill"
                    classList={{ low: rate() < 0.8, mid: rate() >= 0.8 && rate() < 0.95 }}
                    style={{ width: `${rate() * 100}%` }}
                  />
                </div>
                <span class="pass-bars-value">{pct(s.pass_rate)}</span>
                <span class="pass-bars-n muted">
                  n={s.n}
                  {s.errors ? `, ${s.errors} errors` : ''}
                </span>
              </li>
            );
          }}
        </For>
      </ul>
    </Show>
  );
}
