/** Typed reading of command-line values: a bad value is a usage error naming the flag. */
import { CliError, EXIT } from './exit-codes.js';

const usage = (message: string) => new CliError(`${message}\nRun "evalforge --help" for usage.`, EXIT.USAGE);

export function required(value: string | undefined, flag: string): string {
  if (!value) throw usage(`--${flag} is required`);
  return value;
}

export function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw usage(`--${flag} must be a positive whole number, not "${value}"`);
  return n;
}

export function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw usage(`--${flag} must be a positive number, not "${value}"`);
  return n;
}

export function list(values: string | string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  return (Array.isArray(values) ? values : [values])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

export function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  flag: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T))
    throw usage(`--${flag} must be one of ${allowed.join(', ')}, not "${value}"`);
  return value as T;
}

export { usage as usageError };
