/**
 * Lesson completion is decided by the server from what the student did: time on the lesson, measured by
 * the server between heartbeats, and reaching the end of the page. A client flag alone never completes it.
 */

/** Heartbeats arrive every ~15 s while the lesson is visible; a longer gap (tab hidden, laptop closed) earns at most this. */
export const MAX_CREDITED_GAP_SECONDS = 30;

/** Seconds a student must spend on a lesson: `minTimePercent` of its estimated duration. */
export function minimumLessonSeconds(durationMinutes: number, minTimePercent: number): number {
  const percent = Math.min(100, Math.max(0, minTimePercent));
  return Math.ceil((Math.max(0, durationMinutes) * 60 * percent) / 100);
}

/** Seconds to credit for the interval since the previous heartbeat (none before the first). */
export function creditedSeconds(previousBeat: Date | null, now: Date): number {
  if (!previousBeat) return 0;
  const elapsed = Math.floor((now.getTime() - previousBeat.getTime()) / 1000);
  if (elapsed <= 0) return 0;
  return Math.min(elapsed, MAX_CREDITED_GAP_SECONDS);
}

export function isLessonComplete(input: { secondsSpent: number; reachedEnd: boolean; minimumSeconds: number }): boolean {
  return input.reachedEnd && input.secondsSpent >= input.minimumSeconds;
}
