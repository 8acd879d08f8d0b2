import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import type { DatasetImportResult, LabellingImportNote, ImportTaskReport } from '@aitrainer/contracts';
import { Localized } from '../../core/i18n/localized';
import type { MessageKey } from '../../core/i18n/messages.zh';

/** At most this many tasks are listed; the rest were imported as they came. */
const SHOWN = 200;

/**
 * What a Label Studio import did, per task: imported as is, imported with changes (clamped, converted, matched,
 * annotations and predictions kept), or refused with the fields at fault. Worded from the catalogue (zh-CN / en).
 */
@Component({
  selector: 'app-import-report',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="report" data-testid="import-report" [attr.aria-label]="t('labelling.report.title')">
      <div class="head">
        <h3>{{ t('labelling.report.title') }}</h3>
        <button type="button" class="btn btn--small" (click)="closed.emit()">{{ t('labelling.report.close') }}</button>
      </div>
      <p data-testid="report-summary">{{ t('labelling.report.summary', { imported: result().imported, withGold: result().withGold, adapted: adaptedCount(), refused: result().refused ?? 0 }) }}</p>
      @if (rows().length) {
        <table class="table">
          <thead><tr><th scope="col">{{ t('labelling.report.task') }}</th><th scope="col">{{ t('labelling.report.status') }}</th><th scope="col">{{ t('labelling.report.details') }}</th></tr></thead>
          <tbody>
            @for (r of rows(); track r.task) {
              <tr [attr.data-testid]="'report-' + r.id" [class]="r.status">
                <td>{{ r.id }} <span class="muted small">({{ r.task }})</span></td>
                <td>{{ t(statusKey(r)) }}</td>
                <td>
                  @if (r.adapted.length) {
                    <div>{{ t('labelling.report.adapted') }}
                      <ul>@for (n of r.adapted; track $index) { <li data-kind="adapted">{{ note(n) }}</li> }</ul></div>
                  }
                  @if (r.dropped.length) {
                    <div>{{ t('labelling.report.dropped') }}
                      <ul>@for (n of r.dropped; track $index) { <li data-kind="dropped">{{ note(n) }}</li> }</ul></div>
                  }
                  @if (r.problems.length) {
                    <ul>@for (p of r.problems; track $index) { <li data-kind="problem"><code>{{ p.field }}</code> {{ p.problem }}</li> }</ul>
                  }
                </td>
              </tr>
            }
          </tbody>
        </table>
      }
      @if (hidden() > 0) { <p class="muted small">{{ t('labelling.report.more', { count: hidden() }) }}</p> }
    </section>
  `,
  styles: `
    .report { border-top: 1px solid var(--border); margin-top: 0.5rem; padding-top: 0.5rem; flex-basis: 100%; }
    .head { display: flex; justify-content: space-between; align-items: center; gap: 0.5rem; }
    h3 { margin: 0; font-size: 1rem; }
    .table { width: 100%; border-collapse: collapse; font-size: 0.875rem; }
    th, td { text-align: left; vertical-align: top; padding: 0.25rem 0.5rem; border-bottom: 1px solid var(--border); }
    tr.refused td:nth-child(2) { color: var(--danger, #b42318); font-weight: 600; }
    ul { margin: 0.1rem 0 0.3rem; padding-left: 1.1rem; }
  `,
})
export class ImportReportComponent extends Localized {
  readonly result = input.required<DatasetImportResult>();
  readonly closed = output<void>();

  /** Refused first, then adapted; tasks imported as they came are only counted. */
  private readonly listed = computed(() => {
    const report = this.result().report ?? [];
    return [...report.filter((r) => r.status === 'refused'), ...report.filter((r) => r.status === 'adapted')];
  });
  protected readonly rows = computed(() => this.listed().slice(0, SHOWN));
  protected readonly hidden = computed(() => (this.result().report?.length ?? 0) - this.rows().length);
  protected readonly adaptedCount = computed(() => (this.result().report ?? []).filter((r) => r.status === 'adapted').length);

  protected statusKey(r: ImportTaskReport): MessageKey {
    return `labelling.report.status.${r.status}` as MessageKey;
  }

  protected note(n: LabellingImportNote): string {
    const params = { ...n.params };
    if (n.code === 'gold_by_rule' || n.code === 'no_gold') params['rule'] = this.t(`labelling.goldRule.${String(n.params['rule'])}` as MessageKey);
    return this.t(`labelling.note.${n.code}` as MessageKey, params);
  }
}
