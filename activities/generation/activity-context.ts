import { Context } from '@temporalio/activity';

/** The bits of Temporal's activity context that generation uses; absent when called outside an activity
 * (a plain function call in a script or test), where nothing heartbeats and nothing cancels. */
export interface ActivityControl {
  heartbeat(details: unknown): void;
  cancellationSignal: AbortSignal;
  /** The CancelledFailure to rethrow once in-flight work has stopped. */
  cancellationError(): Promise<unknown>;
}

export function currentActivityControl(): ActivityControl | null {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return null;
  }
  return {
    heartbeat: (details) => ctx.heartbeat(details),
    cancellationSignal: ctx.cancellationSignal,
    cancellationError: () =>
      ctx.cancelled.then(
        () => new Error('activity cancelled'),
        (err: unknown) => err,
      ),
  };
}
