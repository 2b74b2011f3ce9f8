import type { ValueTransformer } from 'typeorm';

/** pg returns numeric and bigint as strings (to keep precision); our values fit a JS number. */
export const numberFromString: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null || value === undefined ? value : Number(value)),
};
