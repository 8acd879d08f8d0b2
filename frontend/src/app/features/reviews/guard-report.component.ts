import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { GuardReport } from '@aitrainer/contracts';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { Localized } from '../../core/i18n/localized';
import type { MessageKey } from '../../core/i18n/messages.zh';

/** What the grading guards ran and found on one grade, and why it was or was not sent to review (reviewers only). */
@Component({
  selector: 'app-guard-report',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzTagModule],
  template: `
    @let g = report();
    <section class="card" data-testid="guard-report">
      <h2>{{ t('guards.title') }}</h2>
      <p><strong>{{ t(decisionKey(g.decision)) }}</strong> {{ t(contextKey(g.context)) }}</p>
      @if (g.auditSampled) { <p class="small">{{ t('guards.auditSampled') }}</p> }
      <p class="small muted mono">{{ g.explanation }}</p>
      <ul class="small">
        @for (s of g.screens; track s.name) {
          <li data-testid="guard-screen">
            <strong>{{ t(screenKey(s.name)) }}</strong>:
            @if (!s.ran) { <span class="muted">{{ t('guards.notRun') }}</span> }
            @else if (!s.findings.length) { <span class="muted">{{ t('guards.nothingFound') }}</span> }
            @if (s.note) { <span class="muted mono"> ({{ s.note }})</span> }
            @if (s.findings.length) {
              <ul>
                @for (f of s.findings; track $index) {
                  <li><nz-tag class="mono">{{ f.kind }}</nz-tag> <span class="muted">{{ f.where }}</span> {{ f.excerpt }}</li>
                }
              </ul>
            }
          </li>
        }
      </ul>
      @if (g.normalisedText) {
        <details class="small">
          <summary>{{ t('guards.normalisedText') }}</summary>
          <pre data-testid="guard-normalised">{{ g.normalisedText }}</pre>
        </details>
      }
    </section>
  `,
})
export class GuardReportComponent extends Localized {
  readonly report = input.required<GuardReport>();
  protected readonly decisionKey = (d: GuardReport['decision']) => `guards.decision.${d}` as MessageKey;
  protected readonly contextKey = (c: GuardReport['context']) => `guards.context.${c}` as MessageKey;
  protected readonly screenKey = (n: string) => `guards.screen.${n}` as MessageKey;
}
