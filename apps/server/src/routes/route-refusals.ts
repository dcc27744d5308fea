import type { ErrorArea, ErrorReasonOf } from '@affection/core';

/** One way a route may refuse: `details.reason` and the message key the error body carries. */
export interface RouteRefusal<A extends ErrorArea = ErrorArea, R extends ErrorReasonOf<A> = ErrorReasonOf<A>> {
  reason: R;
  userMessageKey: `error.${A}.${R}`;
}

/**
 * A route's refusal reasons, for its `x-refusals` OpenAPI extension and the typed contract: each
 * reason is sent as `details.reason` with the message key `error.<area>.<reason>`.
 *
 * @example createRoute({ …, 'x-refusals': refusals('kiosk-call', 'not-yet', 'ended', 'cancelled') })
 */
export function refusals<A extends ErrorArea, const R extends ErrorReasonOf<A>>(
  area: A,
  ...reasons: R[]
): RouteRefusal<A, R>[] {
  return reasons.map((reason) => ({ reason, userMessageKey: `error.${area}.${reason}` }) as RouteRefusal<A, R>);
}
