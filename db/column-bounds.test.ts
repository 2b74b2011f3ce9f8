import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/helpers/index.js';
import {
  BUDGET_USD_MAX,
  columnMax,
  DATASET_VERSION_MAX,
  INT4_MAX,
  numericMax,
  PAGE_OFFSET_MAX,
  PR_NUMBER_MAX,
  RESULT_COST_USD_MAX,
  TOKEN_COUNT_MAX,
} from './column-bounds.js';
import { EvalRun, GitHubCheckRun, Project } from './entities/index.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await db?.drop();
});

/** PostgreSQL's SQLSTATE for casting `value` to `type`; null when it fits. */
async function castError(value: number, type: string): Promise<string | null> {
  try {
    await db.dataSource.query(`SELECT $1::${type}`, [value]);
    return null;
  } catch (err) {
    return (err as { code?: string }).code ?? 'unknown';
  }
}

describe('column bounds', () => {
  it('are read from the entity column definitions', () => {
    expect([DATASET_VERSION_MAX, PR_NUMBER_MAX, TOKEN_COUNT_MAX, PAGE_OFFSET_MAX]).toEqual(
      Array(4).fill(INT4_MAX),
    );
    expect(numericMax(14, 6)).toBe(99_999_999.999999);
    expect([BUDGET_USD_MAX, RESULT_COST_USD_MAX]).toEqual([99_999_999.999999, 99_999_999.999999]);
    expect(columnMax(GitHubCheckRun, 'check_run_id')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => columnMax(Project, 'name')).toThrow(/not a bounded numeric column/);
    expect(() => columnMax(EvalRun, 'no_such_column')).toThrow(/no column EvalRun.no_such_column/);
  });

  it('are exactly what PostgreSQL holds: the bound fits, the next number is 22003', async () => {
    expect(await castError(INT4_MAX, 'integer')).toBeNull();
    expect(await castError(INT4_MAX + 1, 'integer')).toBe('22003');
    expect(await castError(RESULT_COST_USD_MAX, 'numeric(14,6)')).toBeNull();
    // Rounded to 6 decimals this is 10^8, one unit past the column.
    expect(await castError(99_999_999.9999996, 'numeric(14,6)')).toBe('22003');
  });
});
