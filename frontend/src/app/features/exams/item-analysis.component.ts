import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ItemAnalysisPartView, ItemAnalysisReport, ItemAnalysisView, ItemFlag } from '@aitrainer/contracts';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { Localized } from '../../core/i18n/localized';
import type { MessageKey } from '../../core/i18n/messages.zh';

/**
 * An exam's item analysis, as Moodle's quiz statistics: which attempts it covers, each item's figures with their units,
 * the responses per class, and a sentence for each flag a test developer should read.
 */
@Component({
  selector: 'app-item-analysis',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzTagModule],
  template: `
    @let r = report();
    <h4>{{ t('examAdmin.itemAnalysis') }}</h4>
    @for (p of r.parts; track p.part) {
      <p [attr.data-testid]="'analysis-coverage-' + p.part">{{ coverage(p) }}</p>
    }
    <p class="muted small" data-testid="analysis-units">{{ t('analysis.units') }}</p>
    @if (!r.items.length) {
      <p class="muted" data-testid="analysis-empty">{{ t('analysis.empty') }}</p>
    } @else {
      <div class="table-scroll">
        <table class="table analysis" data-testid="item-analysis">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{{ t('bank.stem') }}</th>
              <th scope="col">{{ t('analysis.col.maxMark') }}</th>
              <th scope="col">{{ t('analysis.col.responses') }}</th>
              <th scope="col">{{ t('analysis.col.facility') }}</th>
              <th scope="col">{{ t('analysis.col.sd') }}</th>
              <th scope="col">{{ t('analysis.col.randomGuess') }}</th>
              <th scope="col">{{ t('analysis.col.intendedWeight') }}</th>
              <th scope="col">{{ t('analysis.col.effectiveWeight') }}</th>
              <th scope="col">{{ t('analysis.col.discriminationIndex') }}</th>
              <th scope="col">{{ t('analysis.col.discriminativeEfficiency') }}</th>
              <th scope="col">{{ t('analysis.col.pointBiserial') }}</th>
            </tr>
          </thead>
          <tbody>
            @for (it of rows(); track it.part + it.questionId) {
              <tr [attr.data-testid]="'analysis-item-' + it.questionId" class="item-row">
                <td data-label="#">{{ it.questionId }}</td>
                <td class="stem" [attr.data-label]="t('bank.stem')"><nz-tag>{{ t(partKey(it)) }} · {{ t(typeKey(it)) }}</nz-tag> {{ it.stem }}</td>
                <td [attr.data-label]="t('analysis.col.maxMark')">{{ num(it.maxMark) }}</td>
                <td [attr.data-label]="t('analysis.col.responses')">{{ it.responses }}</td>
                <td [attr.data-label]="t('analysis.col.facility')">{{ pct(it.facility) }}</td>
                <td [attr.data-label]="t('analysis.col.sd')">{{ pct(it.sd) }}</td>
                <td [attr.data-label]="t('analysis.col.randomGuess')">{{ pct(it.randomGuessScore) }}</td>
                <td [attr.data-label]="t('analysis.col.intendedWeight')">{{ pct(it.intendedWeight) }}</td>
                <td [attr.data-label]="t('analysis.col.effectiveWeight')">{{ it.negativeCovariance ? t('analysis.negativeCovariance') : pct(it.effectiveWeight) }}</td>
                <td [attr.data-label]="t('analysis.col.discriminationIndex')">{{ pct(it.discriminationIndex) }}</td>
                <td [attr.data-label]="t('analysis.col.discriminativeEfficiency')">{{ pct(it.discriminativeEfficiency) }}</td>
                <td [attr.data-label]="t('analysis.col.pointBiserial')">{{ it.pointBiserial === null ? '—' : it.pointBiserial.toFixed(3) }}</td>
              </tr>
              <tr class="detail-row" [attr.data-testid]="'analysis-detail-' + it.questionId">
                <td></td>
                <td colspan="11">
                  <div>{{ responsesText(it) }}</div>
                  @if (it.pending) { <div class="muted">{{ t('analysis.pending', { n: it.pending }) }}</div> }
                  @if (it.flags.length) {
                    <ul class="analysis-flags" [attr.data-testid]="'analysis-flags-' + it.questionId">
                      @for (f of it.flags; track f) { <li [attr.data-flag]="f">⚠ {{ t(flagKey(f)) }}</li> }
                    </ul>
                  }
                </td>
              </tr>
            }
          </tbody>
        </table>
      </div>
    }
  `,
  styles: `
    .table-scroll { overflow-x: auto; }
    .analysis th, .analysis td { font-size: 0.85rem; padding: 0.35rem 0.45rem; vertical-align: top; }
    .analysis th { white-space: normal; }
    .analysis td.stem { min-width: 12rem; }
    .analysis .item-row td { border-bottom: none; }
    .analysis .detail-row td { padding-top: 0; font-size: 0.8rem; }
    .analysis-flags { margin: 0.2rem 0 0; padding-left: 1rem; color: var(--warning); }
  `,
})
export class ItemAnalysisComponent extends Localized {
  readonly report = input.required<ItemAnalysisReport>();
  /** Flagged items first, then by part and question. */
  protected readonly rows = computed(() => this.report().items.slice().sort((a, b) => Number(b.flags.length > 0) - Number(a.flags.length > 0)));

  protected coverage(p: ItemAnalysisPartView): string {
    return this.t('analysis.coverage', { part: this.t(p.part === 'theory' ? 'exams.partTheory' : 'exams.partPractical'), candidates: p.candidates, attempts: p.attempts, registered: p.registered, later: p.laterAttempts, inProgress: p.inProgress, notStarted: p.notStarted });
  }
  protected partKey(it: ItemAnalysisView): MessageKey {
    return it.part === 'theory' ? 'exams.partTheory' : 'exams.partPractical';
  }
  protected typeKey(it: ItemAnalysisView): MessageKey {
    return `exams.type.${it.type}` as MessageKey;
  }
  protected flagKey(f: ItemFlag): MessageKey {
    return `analysis.flag.${f}` as MessageKey;
  }
  protected pct(x: number | null): string {
    return x === null ? '—' : `${x.toFixed(2)}%`;
  }
  protected num(x: number): string {
    return String(Math.round(x * 100) / 100);
  }
  /** "✓ A: 12 · B: 3 · blank: 1" for objective items; the marks per fifth of the max for items graded on a scale. */
  protected responsesText(it: ItemAnalysisView): string {
    if (it.scoreBands) return this.t('analysis.bands', { bands: it.scoreBands.join(' / ') });
    const label = (r: string) => (it.type === 'true_false' ? this.t(r === 'true' ? 'exams.true' : 'exams.false') : r);
    const parts = it.responseCounts.map((c) => `${c.correct ? '✓ ' : ''}${label(c.response)}: ${c.count}`);
    if (it.otherWrong) parts.push(this.t('analysis.otherWrong', { n: it.otherWrong }));
    if (it.blanks !== null) parts.push(this.t('analysis.blanks', { n: it.blanks }));
    return parts.join(' · ');
  }
}
