/**
 * A form generated from a JSON Schema (the judges' config schemas from GET /api/judges): strings,
 * numbers and integers, booleans, enums, arrays of strings (one per line), arrays of objects (a list of
 * sub-forms with add and remove), nested objects, and anything else as JSON text. The value it reports
 * holds only what was set: a field left empty, or a default left untouched, is not sent, so the server's
 * defaults apply. Keys the form cannot show are kept as they were.
 */
import { createSignal, createUniqueId, For, Index, type JSX, Match, Show, Switch } from 'solid-js';

export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxLength?: number;
  additionalProperties?: unknown;
};

export type JsonObject = Record<string, unknown>;

/** "case_sensitive" → "Case sensitive". */
export const humanize = (key: string) => {
  const words = key.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const typeOf = (schema: JsonSchema) => (Array.isArray(schema.type) ? schema.type[0] : schema.type);

/** How a property is edited. */
export type FieldKind =
  | 'enum'
  | 'boolean'
  | 'number'
  | 'string'
  | 'text'
  | 'strings'
  | 'objects'
  | 'object'
  | 'json';

export function fieldKind(schema: JsonSchema): FieldKind {
  if (Array.isArray(schema.enum)) return 'enum';
  const type = typeOf(schema);
  if (type === 'boolean') return 'boolean';
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'string') return (schema.maxLength ?? 0) > 500 ? 'text' : 'string';
  if (type === 'array') {
    const items = schema.items ?? {};
    if (typeOf(items) === 'string' && !Array.isArray(items.enum)) return 'strings';
    if (typeOf(items) === 'object' && items.properties) return 'objects';
    return 'json';
  }
  if (type === 'object' && schema.properties) return 'object';
  return 'json';
}

/** A new item of an array of objects: its required enums start at their first choice. */
export function newItem(schema: JsonSchema): JsonObject {
  const item: JsonObject = {};
  for (const key of schema.required ?? []) {
    const prop = schema.properties?.[key];
    if (prop && Array.isArray(prop.enum)) item[key] = prop.enum[0];
  }
  return item;
}

const without = (value: JsonObject, key: string) => {
  const { [key]: _, ...rest } = value;
  return rest;
};

const shown = (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** The fields of one object schema; `value` is the object as set so far. */
function SchemaFields(props: {
  schema: JsonSchema;
  value: JsonObject;
  onChange: (value: JsonObject) => void;
  omit?: readonly string[];
  /** Prefix of the fields' accessible names inside a list item ("Assertions 1"). */
  namePrefix?: string;
}) {
  const keys = () => Object.keys(props.schema.properties ?? {}).filter((k) => !props.omit?.includes(k));
  const set = (key: string, v: unknown) =>
    props.onChange(v === undefined ? without(props.value, key) : { ...props.value, [key]: v });
  return (
    <For each={keys()}>
      {(key) => (
        <SchemaField
          name={key}
          label={props.namePrefix ? `${props.namePrefix} ${humanize(key).toLowerCase()}` : humanize(key)}
          schema={props.schema.properties?.[key] ?? {}}
          required={props.schema.required?.includes(key) ?? false}
          value={props.value[key]}
          onChange={(v) => set(key, v)}
        />
      )}
    </For>
  );
}

function SchemaField(props: {
  name: string;
  label: string;
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const id = createUniqueId();
  const hintId = `schema-hint-${id}`;
  const [jsonError, setJsonError] = createSignal<string | null>(null);
  const kind = () => fieldKind(props.schema);
  const defaultText = () =>
    props.schema.default === undefined ? '' : `Default: ${shown(props.schema.default)}.`;
  const sentence = (text: string | undefined) => (text && !/[.!?)]$/.test(text) ? `${text}.` : text);
  const hint = () => [sentence(props.schema.description), defaultText()].filter(Boolean).join(' ');
  const Hint = () => (
    <Show when={hint()}>
      <span class="hint" id={hintId}>
        {hint()}
      </span>
    </Show>
  );
  const described = () => (hint() ? hintId : undefined);
  const field = (control: JSX.Element) => (
    <div class="field" data-schema-field={props.name}>
      {control}
      <Hint />
    </div>
  );
  return (
    <Switch>
      <Match when={kind() === 'enum'}>
        {field(
          <label>
            {props.label}
            <select
              name={props.name}
              aria-describedby={described()}
              value={props.value === undefined ? '' : String(props.value)}
              onChange={(e) => {
                const raw = e.currentTarget.value;
                props.onChange(raw === '' ? undefined : props.schema.enum?.find((v) => String(v) === raw));
              }}
            >
              <Show when={!props.required}>
                <option value="">
                  {props.schema.default === undefined
                    ? '(not set)'
                    : `default (${shown(props.schema.default)})`}
                </option>
              </Show>
              <For each={props.schema.enum}>{(v) => <option value={String(v)}>{String(v)}</option>}</For>
            </select>
          </label>,
        )}
      </Match>
      <Match when={kind() === 'boolean'}>
        <div class="field" data-schema-field={props.name}>
          <label class="check">
            <input
              type="checkbox"
              name={props.name}
              aria-describedby={described()}
              checked={props.value === undefined ? props.schema.default === true : props.value === true}
              onChange={(e) => props.onChange(e.currentTarget.checked)}
            />
            {props.label}
          </label>
          <Hint />
        </div>
      </Match>
      <Match when={kind() === 'number'}>
        {field(
          <label>
            {props.label}
            <input
              type="number"
              name={props.name}
              step={typeOf(props.schema) === 'integer' ? '1' : 'any'}
              min={props.schema.minimum ?? props.schema.exclusiveMinimum}
              max={props.schema.maximum}
              placeholder={props.schema.default === undefined ? '' : shown(props.schema.default)}
              aria-describedby={described()}
              value={typeof props.value === 'number' ? String(props.value) : ''}
              onInput={(e) => {
                const raw = e.currentTarget.value.trim();
                props.onChange(raw === '' ? undefined : Number(raw));
              }}
            />
          </label>,
        )}
      </Match>
      <Match when={kind() === 'string' || kind() === 'text'}>
        {field(
          <label>
            {props.label}
            <Show
              when={kind() === 'text'}
              fallback={
                <input
                  type="text"
                  name={props.name}
                  autocomplete="off"
                  placeholder={typeof props.schema.default === 'string' ? props.schema.default : ''}
                  aria-describedby={described()}
                  value={typeof props.value === 'string' ? props.value : ''}
                  onInput={(e) =>
                    props.onChange(e.currentTarget.value === '' ? undefined : e.currentTarget.value)
                  }
                />
              }
            >
              <textarea
                name={props.name}
                rows={4}
                aria-describedby={described()}
                value={typeof props.value === 'string' ? props.value : ''}
                onInput={(e) =>
                  props.onChange(e.currentTarget.value === '' ? undefined : e.currentTarget.value)
                }
              />
            </Show>
          </label>,
        )}
      </Match>
      <Match when={kind() === 'strings'}>
        {field(
          <label>
            {props.label} (one per line)
            <textarea
              name={props.name}
              rows={3}
              aria-describedby={described()}
              value={Array.isArray(props.value) ? props.value.join('\n') : ''}
              onChange={(e) => {
                const lines = e.currentTarget.value
                  .split('\n')
                  .map((l) => l.trim())
                  .filter(Boolean);
                props.onChange(lines.length ? lines : undefined);
              }}
            />
          </label>,
        )}
      </Match>
      <Match when={kind() === 'objects'}>
        <fieldset class="schema-list" data-schema-field={props.name} aria-describedby={described()}>
          <legend>{props.label}</legend>
          <Hint />
          <Index each={Array.isArray(props.value) ? (props.value as JsonObject[]) : []}>
            {(item, i) => (
              <fieldset class="schema-item" aria-label={`${props.label} ${i + 1}`}>
                <SchemaFields
                  schema={props.schema.items ?? {}}
                  value={item()}
                  namePrefix={`${props.label} ${i + 1}`}
                  onChange={(next) => {
                    const list = [...(props.value as JsonObject[])];
                    list[i] = next;
                    props.onChange(list);
                  }}
                />
                <button
                  type="button"
                  class="secondary"
                  onClick={() => {
                    const list = (props.value as JsonObject[]).filter((_, j) => j !== i);
                    props.onChange(list.length ? list : undefined);
                  }}
                >
                  Remove {props.label.toLowerCase()} {i + 1}
                </button>
              </fieldset>
            )}
          </Index>
          <button
            type="button"
            class="secondary"
            onClick={() =>
              props.onChange([
                ...(Array.isArray(props.value) ? (props.value as JsonObject[]) : []),
                newItem(props.schema.items ?? {}),
              ])
            }
          >
            Add {props.label.toLowerCase()} item
          </button>
        </fieldset>
      </Match>
      <Match when={kind() === 'object'}>
        <fieldset class="schema-object" data-schema-field={props.name}>
          <legend>{props.label}</legend>
          <Hint />
          <SchemaFields
            schema={props.schema}
            value={(props.value as JsonObject | undefined) ?? {}}
            namePrefix={props.label}
            onChange={(next) => props.onChange(Object.keys(next).length ? next : undefined)}
          />
        </fieldset>
      </Match>
      <Match when={kind() === 'json'}>
        <div class="field" data-schema-field={props.name}>
          <label>
            {props.label} (JSON)
            <textarea
              name={props.name}
              rows={3}
              spellcheck={false}
              aria-invalid={!!jsonError()}
              aria-describedby={described()}
              value={props.value === undefined ? '' : JSON.stringify(props.value, null, 2)}
              onChange={(e) => {
                const raw = e.currentTarget.value.trim();
                if (raw === '') {
                  setJsonError(null);
                  props.onChange(undefined);
                  return;
                }
                try {
                  props.onChange(JSON.parse(raw));
                  setJsonError(null);
                } catch {
                  setJsonError('not valid JSON');
                }
              }}
            />
          </label>
          <Show when={jsonError()}>
            <span class="field-error">{jsonError()}</span>
          </Show>
          <Hint />
        </div>
      </Match>
    </Switch>
  );
}

/**
 * The form for an object schema. Reports every change with the whole value (only what is set);
 * `initial` fills it (an edited guardrail's config), `omit` leaves properties to the surrounding form.
 */
export function SchemaForm(props: {
  schema: JsonSchema;
  initial?: JsonObject;
  omit?: readonly string[];
  onChange: (value: JsonObject) => void;
  label?: string;
}) {
  const [value, setValue] = createSignal<JsonObject>({ ...(props.initial ?? {}) });
  return (
    <fieldset class="schema-form" aria-label={props.label}>
      <SchemaFields
        schema={props.schema}
        value={value()}
        omit={props.omit}
        onChange={(next) => {
          setValue(next);
          props.onChange(next);
        }}
      />
    </fieldset>
  );
}
