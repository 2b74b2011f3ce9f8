import { For, Match, Switch } from 'solid-js';
import { LongText } from './LongText';

type Row = Record<string, unknown>;
const isRowList = (v: unknown): v is Row[] =>
  Array.isArray(v) &&
  v.length > 0 &&
  v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x));
const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * A judge's `details` (PII findings, LLM-judge reasoning, matched patterns...), whatever their
 * shape: strings as text, lists of records as a table, anything else as JSON text. Never HTML.
 */
export function JudgeDetails(props: { details: Record<string, unknown> }) {
  const entries = () => Object.entries(props.details);
  return (
    <dl class="details">
      <For each={entries()} fallback={<dd class="muted">No details.</dd>}>
        {([key, value]) => (
          <>
            <dt>{key.replace(/_/g, ' ')}</dt>
            <dd>
              <Switch fallback={<pre class="text">{JSON.stringify(value, null, 2)}</pre>}>
                <Match when={typeof value === 'string'}>
                  <LongText text={value as string} whole />
                </Match>
                <Match when={typeof value === 'number' || typeof value === 'boolean' || value === null}>
                  <span>{String(value)}</span>
                </Match>
                <Match when={isRowList(value) && (value as Row[])}>
                  {(rows) => {
                    const columns = [...new Set(rows().flatMap((r) => Object.keys(r)))];
                    return (
                      <table class="compact">
                        <thead>
                          <tr>
                            <For each={columns}>{(c) => <th scope="col">{c}</th>}</For>
                          </tr>
                        </thead>
                        <tbody>
                          <For each={rows()}>
                            {(row) => (
                              <tr>
                                <For each={columns}>
                                  {(c) => <td>{row[c] === undefined ? '' : asText(row[c])}</td>}
                                </For>
                              </tr>
                            )}
                          </For>
                        </tbody>
                      </table>
                    );
                  }}
                </Match>
              </Switch>
            </dd>
          </>
        )}
      </For>
    </dl>
  );
}
