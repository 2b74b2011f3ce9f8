/** Schemas every route shares: ids, pagination, the paginated envelope. */
import { z } from '@hono/zod-openapi';
import { atMost, PAGE_OFFSET_MAX } from '../../db/column-bounds.js';

export const Uuid = z.uuid().openapi({ example: '7d3f1c2a-5b6e-4f80-9a1b-2c3d4e5f6a7b' });

export const IdParams = z.object({ id: Uuid.openapi({ param: { name: 'id', in: 'path' } }) });

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

/** A whole number in [min, max] whose 400 names the bound ("at most 2147483647"); max usually comes
 * from db/column-bounds.ts, so nothing out of the column's range reaches PostgreSQL. */
export const boundedInt = (min: number, max: number) =>
  z.number().int().min(min, `at least ${min}`).max(max, atMost(max));

/** boundedInt for query parameters (strings coerced to numbers). */
export const boundedQueryInt = (min: number, max: number) =>
  z.coerce.number().int().min(min, `at least ${min}`).max(max, atMost(max));

export const PaginationQuery = z.object({
  offset: boundedQueryInt(0, PAGE_OFFSET_MAX).default(0).openapi({ example: 0 }),
  limit: boundedQueryInt(1, MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE).openapi({ example: 50 }),
});

export function paginated<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    offset: z.number().int(),
    limit: z.number().int(),
  });
}

export const Timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-26T12:00:00.000Z' });

/** A git commit SHA, full or abbreviated (7–40 hex digits). */
export const CommitSha = z.string().regex(/^[0-9a-f]{7,40}$/i);
