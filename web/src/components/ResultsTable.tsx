import { For, Show } from 'solid-js';
import type { Result } from '../api/client';
import { judgeLabel, ms, score } from '../lib/format';
import { PassBadge } from './Badges';
import { LongText } from './LongText';

/** Characters of input/output shown in a table cell before "Show more". */
const CELL_TEXT_CHARS = 160;

/** Per-sample results: input, output and each judge's score with its pass/fail badge. */
export function ResultsTable(props: {
  results: Result[];
  judges: string[];
  onOpen: (result: Result) => void;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a table wider than the page scrolls, and keyboard users must reach it
    <section class="table-scroll" aria-label="Sample results table" tabIndex={0}>
      <table class="results">
        <caption class="sr-only">Per-sample results with judge scores</caption>
        <thead>
          <tr>
            <th scope="col">Sample</th>
            <th scope="col">Input</th>
            <th scope="col">Output</th>
            <th scope="col">Latency</th>
            <For each={props.judges}>{(j) => <th scope="col">{judgeLabel(j)}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <Show
            when={props.results.length}
            fallback={
              <tr>
                <td colSpan={4 + props.judges.length} class="muted">
                  No results match.
                </td>
              </tr>
            }
          >
            <For each={props.results}>
              {(r) => (
                <tr data-result-id={r.id} classList={{ failed: r.status === 'failed' }}>
                  <th scope="row">
                    <button
                      type="button"
                      class="link-button"
                      onClick={() => props.onOpen(r)}
                      aria-label={`Open sample ${r.sample_key}`}
                    >
                      {r.sample_key}
                      {r.repetition ? ` #${r.repetition}` : ''}
                    </button>
                  </th>
                  <td class="cell-text">
                    <LongText
                      text={r.input_text}
                      limit={CELL_TEXT_CHARS}
                      label={`input of ${r.sample_key}`}
                    />
                  </td>
                  <td class="cell-text">
                    <Show
                      when={r.status === 'succeeded'}
                      fallback={
                        <span class="badge badge-fail" title={r.error ?? undefined}>
                          model error
                        </span>
                      }
                    >
                      <LongText
                        text={r.llm_output}
                        limit={CELL_TEXT_CHARS}
                        label={`output of ${r.sample_key}`}
                      />
                    </Show>
                  </td>
                  <td class="num">{ms(r.latency_ms)}</td>
                  <For each={props.judges}>
                    {(j) => {
                      const s = r.scores.find((x) => x.judge_type === j);
                      return (
                        <td class="score-cell" data-judge={j}>
                          <Show when={s} fallback={<span class="muted">–</span>}>
                            {(sc) => (
                              <>
                                <span class="num">{score(sc().score)}</span>{' '}
                                <PassBadge passed={sc().passed} error={sc().error} />
                              </>
                            )}
                          </Show>
                        </td>
                      );
                    }}
                  </For>
                </tr>
              )}
            </For>
          </Show>
        </tbody>
      </table>
    </section>
  );
}
