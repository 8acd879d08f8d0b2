import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import type { ItemData } from '@aitrainer/contracts';
import { FormsModule } from '@angular/forms';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzRadioModule } from 'ng-zorro-antd/radio';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { I18n } from '../../core/i18n/i18n.service';

let nextLongTextId = 1;

/** A text area with a live character count (SFT writing, guideline writing/review). */
@Component({
  selector: 'app-long-text-editor',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzFormModule, NzInputModule],
  template: `
    <div nz-form nzLayout="vertical">
      <nz-form-item>
        <nz-form-label [nzFor]="id">{{ label() }}</nz-form-label>
        <nz-form-control>
          <textarea nz-input [id]="id" rows="10" [attr.maxlength]="max()" [value]="value()" (input)="changed.emit($any($event.target).value)" data-testid="open-text"></textarea>
        </nz-form-control>
      </nz-form-item>
    </div>
    <p class="muted small count" data-testid="char-count">{{ t('labelling.chars', { count: length() }) }} / {{ max() }}</p>
  `,
  styles: `
    nz-form-item { margin-bottom: 0; }
    .count { text-align: right; margin: 0.2rem 0 0; }
  `,
})
export class LongTextEditorComponent {
  protected readonly t = inject(I18n).t;
  protected readonly id = `long-text-${nextLongTextId++}`;
  readonly label = input.required<string>();
  readonly value = input('');
  readonly max = input(20000);
  readonly changed = output<string>();
  /** Code points, as the reader counts characters (an emoji or 𠮷 is one). */
  protected readonly length = computed(() => [...this.value()].length);
}

/** Pick the better response and write why. */
@Component({
  selector: 'app-preference-editor',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, LongTextEditorComponent, NzRadioModule],
  template: `
    <p class="prompt">{{ data().prompt }}</p>
    <fieldset class="responses"><legend>{{ t('labelling.choice') }}</legend>
      <nz-radio-group class="responses" [ngModel]="choice()" (ngModelChange)="changed.emit({ choice: $event, rationale: rationale() })" [ngModelOptions]="{ standalone: true }">
        @for (r of data().responses ?? []; track r.id) {
          <label nz-radio class="response" [class.chosen]="choice() === r.id" [nzValue]="r.id" [attr.data-testid]="'choice-' + r.id"><b>{{ r.id }}</b> <span class="text">{{ r.text }}</span></label>
        }
      </nz-radio-group>
    </fieldset>
    <app-long-text-editor [label]="t('labelling.rationale')" [max]="5000" [value]="rationale()" (changed)="changed.emit({ choice: choice(), rationale: $event })" />
  `,
  styles: `
    .prompt, .text { white-space: pre-wrap; }
    .responses { display: grid; gap: 0.5rem; border: 0; padding: 0; }
    .response { display: flex; gap: 0.5rem; align-items: flex-start; border: 1px solid var(--border); border-radius: 0.4rem; padding: 0.5rem; }
    .chosen { border-color: var(--brand); }
  `,
})
export class PreferenceEditorComponent {
  protected readonly t = inject(I18n).t;
  readonly data = input.required<ItemData>();
  readonly choice = input('');
  readonly rationale = input('');
  readonly changed = output<{ choice: string; rationale: string }>();
}

export interface Correction {
  id: string;
  label: string;
  explanation?: string;
}

/** Error review: one row per labelled item; a row with a corrected label is a correction. */
@Component({
  selector: 'app-correction-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, NzSelectModule],
  template: `
    <p class="muted">{{ t('labelling.batchHelp') }}</p>
    <table class="table" data-testid="correction-table">
      <thead><tr><th>#</th><th>{{ t('labelling.item') }}</th><th>{{ t('labelling.givenLabel') }}</th><th>{{ t('labelling.correctedLabel') }}</th><th>{{ t('labelling.explanation') }}</th></tr></thead>
      <tbody>
        @for (row of data().batch ?? []; track row.id) {
          <tr [attr.data-testid]="'batch-' + row.id">
            <td>{{ row.id }}</td>
            <td class="text">{{ row.text }}</td>
            <td>{{ row.label }}</td>
            <td><label class="visually-hidden" [for]="'corrected-' + row.id">{{ t('labelling.correctedLabel') }} {{ row.id }}</label>
              <nz-select class="corrected" [nzId]="'corrected-' + row.id" [ngModel]="of(row.id)?.label ?? ''" (ngModelChange)="setLabel(row.id, $event)" [ngModelOptions]="{ standalone: true }" [attr.data-testid]="'corrected-' + row.id">
                <nz-option nzValue="" [nzLabel]="t('labelling.notWrong')" />
                @for (l of labels(); track l) { <nz-option [nzValue]="l" [nzLabel]="l" /> }
              </nz-select></td>
            <td><input [disabled]="!of(row.id)" maxlength="2000" [value]="of(row.id)?.explanation ?? ''" (input)="setExplanation(row.id, $any($event.target).value)" [attr.aria-label]="t('labelling.explanation') + ' ' + row.id" /></td>
          </tr>
        }
      </tbody>
    </table>
  `,
  styles: `
    .text { white-space: pre-wrap; max-width: 24rem; }
    input { width: 100%; }
    .corrected { min-width: 8rem; }
  `,
})
export class CorrectionTableComponent {
  protected readonly t = inject(I18n).t;
  readonly data = input.required<ItemData>();
  readonly labels = input.required<string[]>();
  readonly corrections = input<Correction[]>([]);
  readonly changed = output<Correction[]>();

  protected of(id: string): Correction | undefined {
    return this.corrections().find((c) => c.id === id);
  }

  protected setLabel(id: string, label: string): void {
    const rest = this.corrections().filter((c) => c.id !== id);
    this.changed.emit(label ? [...rest, { id, label, explanation: this.of(id)?.explanation ?? '' }] : rest);
  }

  protected setExplanation(id: string, explanation: string): void {
    this.changed.emit(this.corrections().map((c) => (c.id === id ? { ...c, explanation } : c)));
  }
}
