/** Schemas every route shares: ids, pagination, the paginated envelope. */
import { z } from '@hono/zod-openapi';

export const Uuid = z.uuid().openapi({ example: '7d3f1c2a-5b6e-4f80-9a1b-2c3d4e5f6a7b' });

export const IdParams = z.object({ id: Uuid.openapi({ param: { name: 'id', in: 'path' } }) });

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

export const PaginationQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0).openapi({ example: 0 }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .openapi({ example: 50 }),
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
