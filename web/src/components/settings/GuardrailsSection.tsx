import { createAsync, revalidate, useAction } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { deleteGuardrail, updateGuardrail, upsertGuardrail } from '../../api/actions';
import type { Guardrail } from '../../api/client';
import { getGuardrails, getJudges } from '../../api/queries';
import { latestOr } from '../../lib/async';
import { judgeLabel, pct } from '../../lib/format';
import { DataTable } from '../DataTable';
import { ConfirmDialog, Dialog } from '../Dialog';
import { Loadable } from '../Loadable';
import { configWith, GuardrailForm } from './GuardrailForm';
import { RowAction } from './RowAction';

/** A guardrail's judge settings in a line ("assertions=[{"type":"contains",…}]"); min_pass_rate has its column. */
const settingsText = (config: Record<string, unknown>) =>
  Object.entries(config)
    .filter(([k]) => k !== 'min_pass_rate')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');

/** The project's guardrails: what each judge must reach, and whether a miss blocks deploys. */
export function GuardrailsSection(props: { project: string }) {
  const guardrails = createAsync(() => getGuardrails(props.project));
  // The judges' config schemas for the generated settings forms; without them the forms keep their own fields.
  const judges = createAsync(() => getJudges().catch(() => undefined));
  const upsert = useAction(upsertGuardrail);
  const update = useAction(updateGuardrail);
  const remove = useAction(deleteGuardrail);
  // Keyed dialogs get the guardrail itself: it stays readable while a closing dialog finishes.
  const [editing, setEditing] = createSignal<Guardrail | null>(null);
  const [deleting, setDeleting] = createSignal<Guardrail | null>(null);
  return (
    <section class="panel" aria-labelledby="guardrails-h">
      <h2 id="guardrails-h">Guardrails</h2>
      <Loadable data={guardrails} label="guardrails" retry={() => revalidate(getGuardrails.key)}>
        {(list) => (
          <DataTable
            columns={[
              'Judge',
              'Score threshold',
              'Minimum pass rate',
              'Judge settings',
              'Blocking',
              'Enabled',
              'Actions',
            ]}
            rows={list()}
            empty="No guardrails."
          >
            {(g) => (
              <tr>
                <td>{judgeLabel(g.judge_type)}</td>
                <td class="num">{g.threshold}</td>
                <td class="num">
                  {typeof g.config.min_pass_rate === 'number' ? pct(g.config.min_pass_rate) : 'default'}
                </td>
                <td class="muted">{settingsText(g.config) || 'defaults'}</td>
                <td>{g.is_blocking ? 'blocks deploys' : 'warns'}</td>
                <td>{g.enabled ? 'yes' : 'no'}</td>
                <td class="row-actions">
                  <RowAction
                    label="Edit"
                    name={`Edit guardrail ${g.judge_type}`}
                    onClick={() => setEditing(g)}
                  />
                  <RowAction
                    label="Delete"
                    name={`Delete guardrail ${g.judge_type}`}
                    danger
                    onClick={() => setDeleting(g)}
                  />
                </td>
              </tr>
            )}
          </DataTable>
        )}
      </Loadable>
      <h3>Add a guardrail</h3>
      <GuardrailForm
        existing={latestOr(guardrails)?.map((g) => g.judge_type)}
        judges={latestOr(judges)}
        submitLabel="Add guardrail"
        onSubmit={(f) =>
          upsert(props.project, {
            judge_type: f.judge_type,
            threshold: f.threshold,
            is_blocking: f.is_blocking,
            enabled: f.enabled,
            config: configWith(f.config, f.min_pass_rate),
          })
        }
      />
      <Show when={editing()} keyed>
        {(guardrail) => (
          <Dialog
            title={`Edit guardrail ${judgeLabel(guardrail.judge_type)}`}
            onClose={() => setEditing(null)}
          >
            <GuardrailForm
              initial={guardrail}
              judges={latestOr(judges)}
              submitLabel="Save guardrail"
              onCancel={() => setEditing(null)}
              onSubmit={async (f) => {
                await update(guardrail.id, {
                  threshold: f.threshold,
                  is_blocking: f.is_blocking,
                  enabled: f.enabled,
                  config: configWith(f.config, f.min_pass_rate),
                });
                setEditing(null);
              }}
            />
          </Dialog>
        )}
      </Show>
      <Show when={deleting()} keyed>
        {(guardrail) => (
          <ConfirmDialog
            title={`Delete guardrail ${judgeLabel(guardrail.judge_type)}?`}
            confirmLabel="Delete guardrail"
            onClose={() => setDeleting(null)}
            onConfirm={() => remove(guardrail.id)}
          >
            <p>New runs stop checking it; finished runs keep the verdicts they recorded.</p>
          </ConfirmDialog>
        )}
      </Show>
    </section>
  );
}
