/**
 * What the local server can enforce of a `response_format` JSON Schema. node-llama-cpp turns a subset of
 * JSON Schema into a grammar and silently ignores what it does not know (a `pattern`, a `minimum`, an
 * `allOf`), and a node without a type becomes `null`. A server that claims structured output must not
 * answer with JSON that breaks the schema it was given, so anything outside the subset is refused here
 * with the place and the keyword named; a few common forms are rewritten into the subset first.
 */

type Schema = Record<string, unknown>;

export type GrammarSchemaResult = { ok: true; schema: Schema } | { ok: false; error: string };

/** An integer between minimum and maximum becomes an enum of its values up to this many. */
export const MAX_INTEGER_RANGE_VALUES = 1_000;

const PRIMITIVE_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null']);
const ALL_TYPES = new Set([...PRIMITIVE_TYPES, 'object', 'array']);
const STRING_FORMATS = new Set(['date-time', 'date', 'time']);
/** Annotations: no effect on what is valid, dropped. */
const ANNOTATIONS = new Set(['title', 'description', 'default', 'examples', '$comment', '$id', '$schema']);
const KEYWORDS_BY_TYPE: Record<string, Set<string>> = {
  object: new Set(['properties', 'required', 'additionalProperties', 'minProperties', 'maxProperties']),
  array: new Set(['items', 'prefixItems', 'minItems', 'maxItems']),
  string: new Set(['minLength', 'maxLength', 'format']),
  integer: new Set(['minimum', 'maximum']),
  number: new Set(),
  boolean: new Set(),
  null: new Set(),
};

class Unsupported extends Error {}

function isRecord(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The schema in node-llama-cpp's subset, or why the local server cannot enforce it. */
export function toGrammarSchema(schema: unknown): GrammarSchemaResult {
  try {
    return { ok: true, schema: convert(schema, '') };
  } catch (err) {
    if (err instanceof Unsupported) return { ok: false, error: err.message };
    throw err;
  }
}

function fail(path: string, problem: string): never {
  throw new Unsupported(
    `response_format.json_schema.schema${path ? ` at ${path}` : ''}: ${problem} ` +
      '(the local server supports type, properties, required, additionalProperties, items, prefixItems, ' +
      'enum, const, anyOf/oneOf, $defs/$ref, min/max length, items and properties, date/time formats, ' +
      'and integer minimum+maximum)',
  );
}

function convert(node: unknown, path: string): Schema {
  if (!isRecord(node)) fail(path, 'a schema must be an object (true/false schemas are not supported)');
  const out: Schema = {};
  const defs = node.$defs;
  if (defs !== undefined) {
    if (!isRecord(defs)) fail(`${path}/$defs`, '$defs must be an object');
    out.$defs = Object.fromEntries(
      Object.entries(defs).map(([name, def]) => [name, convert(def, `${path}/$defs/${name}`)]),
    );
  }
  const rest = Object.fromEntries(
    Object.entries(node).filter(([key]) => !ANNOTATIONS.has(key) && key !== '$defs'),
  );
  if (typeof node.description === 'string') out.description = node.description;

  const combinator = ['$ref', 'const', 'enum', 'anyOf', 'oneOf'].filter((k) => k in rest);
  if (combinator.length > 1) fail(path, `${combinator.join(' with ')} in one schema is not supported`);
  if (combinator.length === 1) {
    const [key] = combinator;
    // A type next to enum or const only restates what the values are (and is checked for enum).
    const others = Object.keys(rest).filter(
      (k) => k !== key && !(k === 'type' && (key === 'enum' || key === 'const')),
    );
    if (others.length > 0) fail(path, `"${others[0]}" next to "${key}" is not supported`);
    return { ...out, ...convertCombinator(key, rest[key], rest.type, path) };
  }

  const type = rest.type;
  if (type === undefined) {
    const unknown = Object.keys(rest)[0];
    fail(
      path,
      unknown ? `unsupported keyword "${unknown}"` : 'a schema without a type (any value) is not supported',
    );
  }
  const types = Array.isArray(type) ? type : [type];
  if (types.length === 0 || !types.every((t) => typeof t === 'string' && ALL_TYPES.has(t))) {
    fail(path, `unknown type ${JSON.stringify(type)}`);
  }
  const typeNames = types as string[];
  for (const key of Object.keys(rest)) {
    if (key === 'type') continue;
    if (!typeNames.some((t) => KEYWORDS_BY_TYPE[t].has(key))) {
      fail(path, `unsupported keyword "${key}"${typeNames.length === 1 ? ` for type ${typeNames[0]}` : ''}`);
    }
  }
  if (typeNames.length === 1) return { ...out, ...convertTyped(typeNames[0], rest, path) };
  // A union of types: each constrained type on its own, under oneOf.
  if (typeNames.every((t) => PRIMITIVE_TYPES.has(t)) && Object.keys(rest).length === 1) {
    return { ...out, type: typeNames };
  }
  return { ...out, oneOf: typeNames.map((t) => convertTyped(t, ownKeywords(rest, t), path)) };
}

function ownKeywords(node: Schema, type: string): Schema {
  return Object.fromEntries(Object.entries(node).filter(([key]) => KEYWORDS_BY_TYPE[type].has(key)));
}

function convertCombinator(key: string, value: unknown, type: unknown, path: string): Schema {
  switch (key) {
    case '$ref':
      if (typeof value !== 'string' || !value.startsWith('#/$defs/')) {
        fail(path, `$ref ${JSON.stringify(value)} must point into #/$defs/`);
      }
      return { $ref: value };
    case 'const':
      if (value !== null && typeof value === 'object')
        fail(path, 'const must be a string, number, boolean or null');
      return { const: value };
    case 'enum':
      if (
        !Array.isArray(value) ||
        value.length === 0 ||
        value.some((v) => v !== null && typeof v === 'object')
      ) {
        fail(path, 'enum must be a non-empty list of strings, numbers, booleans or null');
      }
      if (type !== undefined) {
        const types = new Set(Array.isArray(type) ? type : [type]);
        const mismatch = value.find(
          (v) => !types.has(jsonType(v)) && !(types.has('number') && typeof v === 'number'),
        );
        if (mismatch !== undefined)
          fail(path, `enum value ${JSON.stringify(mismatch)} is not of type ${JSON.stringify(type)}`);
      }
      return { enum: value };
    default: {
      if (!Array.isArray(value) || value.length === 0)
        fail(path, `${key} must be a non-empty list of schemas`);
      // Generating one alternative satisfies anyOf; alternatives that overlap are the only oneOf risk.
      return { oneOf: value.map((alt, i) => convert(alt, `${path}/${key}/${i}`)) };
    }
  }
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function convertTyped(type: string, node: Schema, path: string): Schema {
  switch (type) {
    case 'object': {
      const out: Schema = { type };
      const properties = node.properties;
      if (properties !== undefined) {
        if (!isRecord(properties)) fail(`${path}/properties`, 'properties must be an object');
        out.properties = Object.fromEntries(
          Object.entries(properties).map(([name, s]) => [name, convert(s, `${path}/properties/${name}`)]),
        );
      }
      // Every listed property is generated, so any `required` list is met.
      if (node.required !== undefined) {
        if (!Array.isArray(node.required)) fail(path, 'required must be a list of property names');
        const missing = node.required.find((name) => !isRecord(properties) || !(String(name) in properties));
        if (missing !== undefined) fail(path, `required property "${missing}" is not in properties`);
      }
      const extra = node.additionalProperties;
      if (extra !== undefined && typeof extra !== 'boolean') {
        out.additionalProperties = convert(extra, `${path}/additionalProperties`);
      } else if (extra === true || (extra === undefined && properties === undefined)) {
        // JSON Schema's default is "any other property"; node-llama-cpp's is none. An object schema
        // without properties means any object.
        out.additionalProperties = true;
      }
      copyCounts(node, out, ['minProperties', 'maxProperties'], path);
      return out;
    }
    case 'array': {
      const out: Schema = { type };
      if (node.items !== undefined) out.items = convert(node.items, `${path}/items`);
      if (node.prefixItems !== undefined) {
        if (!Array.isArray(node.prefixItems)) fail(path, 'prefixItems must be a list of schemas');
        out.prefixItems = node.prefixItems.map((s, i) => convert(s, `${path}/prefixItems/${i}`));
      }
      copyCounts(node, out, ['minItems', 'maxItems'], path);
      return out;
    }
    case 'string': {
      if (node.format !== undefined) {
        if (typeof node.format !== 'string' || !STRING_FORMATS.has(node.format)) {
          fail(
            path,
            `string format ${JSON.stringify(node.format)} is not supported (date-time, date, time are)`,
          );
        }
        if (node.minLength !== undefined || node.maxLength !== undefined) {
          fail(path, 'minLength/maxLength with a format is not supported');
        }
        return { type, format: node.format };
      }
      const out: Schema = { type };
      copyCounts(node, out, ['minLength', 'maxLength'], path);
      return out;
    }
    case 'integer': {
      const { minimum, maximum } = node;
      if (minimum === undefined && maximum === undefined) return { type };
      if (!Number.isFinite(minimum) || !Number.isFinite(maximum)) {
        fail(path, 'an integer needs both minimum and maximum to be bounded');
      }
      const low = Math.ceil(minimum as number);
      const high = Math.floor(maximum as number);
      if (high < low) fail(path, `no integer lies between minimum ${minimum} and maximum ${maximum}`);
      if (high - low + 1 > MAX_INTEGER_RANGE_VALUES) {
        fail(path, `integer range ${low}..${high} is wider than ${MAX_INTEGER_RANGE_VALUES} values`);
      }
      return { enum: Array.from({ length: high - low + 1 }, (_, i) => low + i) };
    }
    default:
      return { type };
  }
}

function copyCounts(node: Schema, out: Schema, keys: string[], path: string): void {
  for (const key of keys) {
    const value = node[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || (value as number) < 0)
      fail(path, `${key} must be a non-negative integer`);
    out[key] = value;
  }
}
