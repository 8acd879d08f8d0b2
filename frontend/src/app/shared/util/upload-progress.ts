import { HttpEventType, type HttpEvent } from '@angular/common/http';
import type { WritableSignal } from '@angular/core';
import { filter, finalize, map, tap, type Observable } from 'rxjs';

/**
 * Where an upload is: `undefined` idle, a number = percent of the file sent, `null` = sent, the server is working
 * (an indeterminate bar).
 */
export type UploadProgress = number | null | undefined;

/**
 * Follows an upload made with `reportProgress: true, observe: 'events'`: keeps `progress` up to date and emits the
 * response body once. `progress` returns to idle when the request ends, whichever way.
 */
export function trackUpload<T>(events: Observable<HttpEvent<T>>, progress: WritableSignal<UploadProgress>): Observable<T> {
  progress.set(0);
  return events.pipe(
    tap((e) => {
      if (e.type === HttpEventType.UploadProgress) {
        const percent = e.total ? Math.round((100 * e.loaded) / e.total) : null;
        progress.set(percent === null || percent >= 100 ? null : percent);
      }
    }),
    filter((e): e is Extract<HttpEvent<T>, { type: HttpEventType.Response }> => e.type === HttpEventType.Response),
    map((e) => e.body as T),
    finalize(() => progress.set(undefined)),
  );
}
