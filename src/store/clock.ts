/**
 * Time as the stores see it. Injected so that tests can pin timestamps;
 * every stored timestamp is an ISO-8601 UTC string with milliseconds.
 */

/** Returns the current time. */
export type Clock = () => Date;

/** The real wall clock. */
export const systemClock: Clock = () => new Date();

/** The clock's time as ISO-8601 UTC, e.g. `2026-01-31T12:00:00.000Z`. */
export function isoNow(clock: Clock): string {
  return clock().toISOString();
}
