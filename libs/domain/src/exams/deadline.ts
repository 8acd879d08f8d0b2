/**
 * The attempt's deadline on the server's clock: start + duration + the candidate's extra time, but never after the
 * session closes (Moodle: the earlier of start + limit and the quiz close time).
 */
export function attemptDeadline(startMs: number, durationMinutes: number, extraMinutes: number, sessionEndMs: number): number {
  return Math.min(startMs + Math.round((durationMinutes + extraMinutes) * 60_000), sessionEndMs);
}

/** The recorded finish time: when the candidate submitted, or the deadline itself when the submit came late. */
export function finishTime(submittedAtMs: number, deadlineMs: number): number {
  return Math.min(submittedAtMs, deadlineMs);
}

export function isOpenForAnswers(nowMs: number, deadlineMs: number): boolean {
  return nowMs <= deadlineMs;
}
