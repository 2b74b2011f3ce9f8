import { createSignal, createUniqueId, For, Show } from 'solid-js';
// The judges a guardrail can name without a suffix ("type:name" configures one again).
import { JUDGE_TYPES } from '../../../../judges/judge-types';
import { ApiRequestError, type Guardrail, type Schemas } from '../../api/client';
import { createSubmitter } from '../../lib/submit';
import { blames } from '../FormError';
import { type JsonObject, type JsonSchema, SchemaForm } from '../forms/SchemaForm';
import { SettingsForm } from './SettingsForm';

export interface GuardrailFields {
  judge_type: string;
  threshold: number;
  /** null: the default (any failure counts against the guardrail as its judge decides). */
  min_pass_rate: number | null;
  is_blocking: boolean;
  enabled: boolean;
  /** The judge's own settings from the form generated from its config schema (min_pass_rate apart). */
  config: Record<string, unknown>;
}

export type JudgeInfo = Schemas['JudgeInfo'];

/** Settings of the guardrail that have their own fields here, not in the generated form. */
const OWN_FIELDS = ['min_pass_rate'] as const;

const judgeSettings = (config: Record<string, unknown> | undefined): JsonObject => {
  const { min_pass_rate: _, ...rest } = config ?? {};
  return rest;
};

/** The guardrail's config with min_pass_rate set or removed; its other judge settings are kept. */
export function configWith(config: Record<string, unknown>, minPassRate: number | null) {
  const { min_pass_rate: _, ...rest } = config;
  return minPassRate === null ? rest : { ...rest, min_pass_rate: minPassRate };
}

const readNumber = (raw: FormDataEntryValue | null) => {
  const text = String(raw ?? '').trim();
  return text === '' ? null : Number(text);
};

/** A form error the page finds before the API would (min_pass_rate lives in free-form config). */
const localError = (path: string, message: string) =>
  new ApiRequestError(0, 'invalid_input', 'check the highlighted field', [{ path, message }]);

/** Create (judge type free) or edit (judge type fixed) a guardrail. */
export function GuardrailForm(props: {
  initial?: Guardrail;
  /** Judge types that already have a guardrail: creating one of them replaces it (the API upserts). */
  existing?: string[];
  /** GET /api/judges: each judge's config schema, for its settings form; undefined while loading. */
  judges?: readonly JudgeInfo[];
  submitLabel: string;
  onSubmit: (fields: GuardrailFields) => Promise<unknown>;
  onCancel?: () => void;
}) {
  const id = createUniqueId();
  const errorId = `guardrail-error-${id}`;
  const submit = createSubmitter();
  const [typedJudge, setTypedJudge] = createSignal('');
  const [settings, setSettings] = createSignal<JsonObject>(judgeSettings(props.initial?.config));
  /** "type:name" configures the judge "type". */
  const baseType = () => (props.initial?.judge_type ?? typedJudge()).split(':')[0];
  const judge = () => props.judges?.find((j) => j.type === baseType());
  let enabledBox!: HTMLInputElement;
  let blockingBox!: HTMLInputElement;
  const invalid = (field: string) => blames(submit.error(), field);
  const initialRate = () =>
    typeof props.initial?.config.min_pass_rate === 'number' ? String(props.initial.config.min_pass_rate) : '';

  const onSubmit = async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const minPassRate = readNumber(data.get('min_pass_rate'));
    if (minPassRate !== null && !(minPassRate >= 0 && minPassRate <= 1)) {
      submit.setError(localError('min_pass_rate', 'a pass rate between 0 and 1, or empty for the default'));
      return;
    }
    const threshold = readNumber(data.get('threshold'));
    const fields: GuardrailFields = {
      judge_type: props.initial?.judge_type ?? String(data.get('judge_type') ?? '').trim(),
      // NaN or a missing number goes to the API as it is, which says what it expects.
      threshold: threshold as number,
      min_pass_rate: minPassRate,
      is_blocking: data.get('is_blocking') === 'on',
      enabled: data.get('enabled') === 'on',
      config: settings(),
    };
    await submit.run(() => props.onSubmit(fields));
    if (!submit.error() && !props.initial) {
      form.reset();
      // reset() restores the boxes' default state, and Solid sets `checked` as a property, not the
      // default: without this a second guardrail would start (and be saved) disabled.
      enabledBox.checked = true;
      blockingBox.checked = false;
      setTypedJudge('');
      setSettings({});
    }
  };

  const replaces = () => !!typedJudge() && !!props.existing?.includes(typedJudge());

  return (
    <SettingsForm
      label={props.initial ? `Edit guardrail ${props.initial.judge_type}` : 'Add guardrail'}
      submitter={submit}
      submitLabel={props.submitLabel}
      errorId={errorId}
      onSubmit={onSubmit}
      onCancel={props.onCancel}
      note={replaces() ? <span class="muted">Replaces the existing guardrail for this judge.</span> : null}
    >
      <Show
        when={!props.initial}
        fallback={
          <p class="muted">
            Judge <code>{props.initial?.judge_type}</code>
          </p>
        }
      >
        <div class="field">
          <label>
            Judge
            <input
              name="judge_type"
              onInput={(e) => {
                const typed = e.currentTarget.value.trim();
                // Another judge: the settings of the previous one do not apply to it.
                if (typed.split(':')[0] !== baseType()) setSettings({});
                setTypedJudge(typed);
              }}
              type="text"
              required
              list={`judges-${id}`}
              placeholder="toxicity"
              autocomplete="off"
              aria-invalid={invalid('judge_type')}
              aria-describedby={`judge-hint-${id}`}
            />
          </label>
          <span class="hint" id={`judge-hint-${id}`}>
            A judge type, or "type:name" to configure one again. An existing one is replaced.
          </span>
        </div>
        <datalist id={`judges-${id}`}>
          <For each={props.judges?.map((j) => j.type) ?? JUDGE_TYPES}>{(j) => <option value={j} />}</For>
        </datalist>
      </Show>
      <Show when={judge()}>{(info) => <p class="hint">{info().description}</p>}</Show>
      <div class="field">
        <label>
          Score threshold
          <input
            name="threshold"
            type="number"
            min="0"
            max="1"
            step="0.01"
            required
            value={props.initial?.threshold ?? ''}
            placeholder={judge()?.default_threshold == null ? '' : String(judge()?.default_threshold)}
            aria-invalid={invalid('threshold')}
            aria-describedby={`threshold-hint-${id}`}
          />
        </label>
        <span class="hint" id={`threshold-hint-${id}`}>
          0–1: the score a result needs to pass.
        </span>
      </div>
      <div class="field">
        <label>
          Minimum pass rate
          <input
            name="min_pass_rate"
            type="number"
            min="0"
            max="1"
            step="0.01"
            value={initialRate()}
            placeholder="default"
            aria-invalid={invalid('min_pass_rate') || invalid('config.min_pass_rate')}
            aria-describedby={`rate-hint-${id}`}
          />
        </label>
        <span class="hint" id={`rate-hint-${id}`}>
          0–1 of results that must pass; empty for the default.
        </span>
      </div>
      <label class="check">
        <input
          ref={blockingBox}
          name="is_blocking"
          type="checkbox"
          checked={props.initial?.is_blocking ?? false}
        />
        Blocking (a failure fails the run)
      </label>
      <label class="check">
        <input ref={enabledBox} name="enabled" type="checkbox" checked={props.initial?.enabled ?? true} />
        Enabled
      </label>
      <Show when={judge()} keyed>
        {(info) => (
          <details class="judge-settings" open>
            <summary>Judge settings ({info.type})</summary>
            <SchemaForm
              label={`Judge settings (${info.type})`}
              schema={info.config_schema as JsonSchema}
              initial={settings()}
              omit={OWN_FIELDS}
              onChange={setSettings}
            />
          </details>
        )}
      </Show>
    </SettingsForm>
  );
}
