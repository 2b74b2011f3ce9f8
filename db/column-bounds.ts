/**
 * The largest numbers the database columns hold, read from the entities' column definitions, so the API
 * answers an out-of-range number with a 400 naming the bound and a worker records a failed sample,
 * instead of PostgreSQL failing the statement (22003 numeric_value_out_of_range).
 */
import { type ColumnOptions, getMetadataArgsStorage } from 'typeorm';
import { DatasetVersion, EvalResult, EvalRun } from './entities/index.js';

/** The message of every bound check ("at most 2147483647"): a client sees the limit it ran into. */
export const atMost = (bound: number) => `at most ${bound}`;

/** PostgreSQL integer (int4). */
export const INT4_MAX = 2_147_483_647;
const SMALLINT_MAX = 32_767;

/** Largest value of numeric(precision, scale): 10^(p−s) − 10^(−s), e.g. 99999999.999999 for (14, 6). */
export function numericMax(precision: number, scale: number): number {
  return Number((10 ** (precision - scale) - 10 ** -scale).toFixed(scale));
}

// biome-ignore lint/complexity/noBannedTypes: TypeORM keys its column metadata by the entity class.
function columnOptions(entity: Function, property: string): ColumnOptions {
  const column = getMetadataArgsStorage().columns.find(
    (c) => c.target === entity && c.propertyName === property,
  );
  if (!column) throw new Error(`no column ${entity.name}.${property}`);
  return column.options;
}

/** Largest value a numeric column of an entity holds (JS-safe for bigint); throws for other types. */
// biome-ignore lint/complexity/noBannedTypes: see columnOptions.
export function columnMax(entity: Function, property: string): number {
  const { type, precision, scale } = columnOptions(entity, property);
  switch (type) {
    case 'integer':
    case 'int':
    case 'int4':
      return INT4_MAX;
    case 'smallint':
    case 'int2':
      return SMALLINT_MAX;
    case 'bigint':
    case 'int8':
      return Number.MAX_SAFE_INTEGER;
    case 'numeric':
    case 'decimal':
      if (precision === undefined || precision === null)
        throw new Error(`${entity.name}.${property}: numeric without a precision has no fixed bound`);
      return numericMax(precision, scale ?? 0);
    default:
      throw new Error(`${entity.name}.${property}: ${String(type)} is not a bounded numeric column`);
  }
}

/** dataset_versions.version: every version number the API takes (pins, base_version, ?version=). */
export const DATASET_VERSION_MAX = columnMax(DatasetVersion, 'version');
export const PR_NUMBER_MAX = columnMax(EvalRun, 'pr_number');
export const BUDGET_USD_MAX = columnMax(EvalRun, 'budget_usd');
/** eval_results.cost_usd: the cost of one model call. */
export const RESULT_COST_USD_MAX = columnMax(EvalResult, 'cost_usd');
/** eval_results.token_count_input / _output. */
export const TOKEN_COUNT_MAX = Math.min(
  columnMax(EvalResult, 'token_count_input'),
  columnMax(EvalResult, 'token_count_output'),
);
/** List offsets: no list holds more rows than an integer position counts (eval_results.sample_position). */
export const PAGE_OFFSET_MAX = columnMax(EvalResult, 'sample_position');

/**
 * Endpoint prices, USD per 1k tokens (llm_endpoints.config, jsonb): above any list price by far (the
 * dearest models charge well under $1 per 1k tokens), and low enough that a call of up to 100M tokens
 * has a cost RESULT_COST_USD_MAX can hold. Workers record a sample failed if a cost is still too big.
 */
export const PRICE_PER_1K_TOKENS_MAX = 1_000;
/** Endpoint rpm / tpm limits: far beyond any provider's quota, and the rate-limit bucket arithmetic
 * (double precision columns) stays finite. */
export const RATE_LIMIT_MAX = INT4_MAX;
