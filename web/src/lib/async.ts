import type { AccessorWithLatest } from '@solidjs/router';

/**
 * The latest value of a `createAsync`, or undefined while it loads or after it failed: for reads
 * beside the data (a heading, a memo) that must not take the page down. Reading `.latest` of a
 * failed load throws; the error is shown where the data itself is rendered (Loadable).
 */
export function latestOr<T>(data: AccessorWithLatest<T>): T | undefined {
  try {
    return data.latest;
  } catch {
    return undefined;
  }
}
