import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, TemplateRef, computed, contentChild, input, output } from '@angular/core';
import { NzTableModule, type NzTableFilterList } from 'ng-zorro-antd/table';
import { Localized } from '../../core/i18n/localized';
import type { Remote, RemoteState } from '../util/remote';
import { RemoteViewComponent } from './remote-view.component';

/** A column of a list page: its heading, and how it sorts and filters in the browser (both optional). */
export interface TableColumn<T> {
  readonly label: string;
  /** The heading is read by screen readers only (a column of row actions). */
  readonly hiddenLabel?: boolean;
  readonly numeric?: boolean;
  readonly sort?: (a: T, b: T) => number;
  readonly filters?: NzTableFilterList;
  readonly filter?: (selected: unknown[], row: T) => boolean;
}

/** Sorters for the usual column kinds. */
export const by = {
  text: <T>(get: (row: T) => string | null | undefined) => (a: T, b: T) => (get(a) ?? '').localeCompare(get(b) ?? '', 'zh-CN'),
  number: <T>(get: (row: T) => number | null | undefined) => (a: T, b: T) => (get(a) ?? 0) - (get(b) ?? 0),
  time: <T>(get: (row: T) => string | null | undefined) => (a: T, b: T) => Date.parse(get(a) ?? '') - Date.parse(get(b) ?? ''),
};

/** A filter over a column of a few known values: `{ label, ...filterBy((row) => row.status, [[value, text], ...]) }`. */
export function filterBy<T, V>(get: (row: T) => V, options: readonly (readonly [V, string])[]): Pick<TableColumn<T>, 'filters' | 'filter'> {
  return {
    filters: options.map(([value, text]) => ({ text, value })),
    filter: (selected, row) => selected.includes(get(row)),
  };
}

/**
 * The one list table of the portal: an Ant table over a `remote()` list (`[source]`) with loading, error (and retry, as remote-view says it),
 * empty state, sorting, filtering and pagination. The page gives the columns and one row template of cells:
 * `<ng-template let-row><td>…</td></ng-template>`.
 */
@Component({
  selector: 'app-data-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzTableModule, NgTemplateOutlet, RemoteViewComponent],
  template: `
    @if (current().status === 'error') {
      <app-remote-view [state]="current()" (retry)="reload()" />
    } @else {
      <nz-table
        #table
        [nzData]="data()"
        [nzLoading]="current().status === 'loading'"
        [nzPageSize]="pageSize()"
        [nzHideOnSinglePage]="true"
        [nzShowTotal]="total"
        [nzNoResult]="empty"
        [attr.data-testid]="testId()"
        [attr.aria-busy]="current().status === 'loading' ? 'true' : null"
      >
        <thead>
          <tr>
            @for (column of columns(); track $index) {
              <th scope="col" [class.num]="column.numeric"
                  [nzShowSort]="!!column.sort" [nzSortFn]="column.sort ?? null"
                  [nzShowFilter]="!!column.filters" [nzFilters]="column.filters ?? []" [nzFilterFn]="column.filter ?? null">
                @if (column.hiddenLabel) { <span class="visually-hidden">{{ column.label }}</span> } @else { {{ column.label }} }
              </th>
            }
          </tr>
        </thead>
        <tbody>
          @for (row of table.data; track trackBy()(row)) {
            <tr [attr.data-testid]="rowId(row)">
              <ng-container *ngTemplateOutlet="rowTemplate(); context: { $implicit: row }" />
            </tr>
          }
        </tbody>
      </nz-table>
      <ng-template #total let-count>{{ t('table.total', { count: count }) }}</ng-template>
      <ng-template #empty><p class="state state--empty" [attr.data-testid]="emptyTestId()">{{ emptyText() }}</p></ng-template>
    }
  `,
  styles: `
    :host { display: block; }
    .num { text-align: right; font-variant-numeric: tabular-nums; }
    :host ::ng-deep .ant-table-content { overflow-x: auto; }
  `,
})
export class DataTableComponent<T> extends Localized {

  /** The `remote()` list shown: its state, its rows, and what a retry reloads. */
  readonly source = input<Remote<readonly T[]>>();
  /** Or a request's state (reloaded by the page on `retry`) and the rows derived from it, or rows of the page's own. */
  readonly state = input<RemoteState<unknown>>({ status: 'ready', value: null });
  readonly rows = input<readonly T[] | undefined>();
  readonly columns = input.required<readonly TableColumn<T>[]>();
  readonly trackBy = input.required<(row: T) => unknown>();
  readonly emptyText = input('');
  readonly testId = input<string | null>(null);
  /** One test id for every row, or one per row. */
  readonly rowTestId = input<string | ((row: T) => string) | null>(null);
  readonly emptyTestId = input<string | null>(null);
  readonly pageSize = input(10);
  readonly retry = output<void>();

  protected readonly rowTemplate = contentChild.required<TemplateRef<{ $implicit: T }>>(TemplateRef);

  protected rowId(row: T): string | null {
    const id = this.rowTestId();
    return typeof id === 'function' ? id(row) : id;
  }

  protected readonly current = computed(() => this.source()?.state() ?? this.state());
  protected readonly data = computed((): T[] => [...(this.rows() ?? this.source()?.value() ?? [])]);

  protected reload(): void {
    this.source()?.reload();
    this.retry.emit();
  }
}
