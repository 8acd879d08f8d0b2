import { ChangeDetectionStrategy, Component, booleanAttribute, computed, forwardRef, inject, input, signal } from '@angular/core';
import { type ControlValueAccessor, FormsModule, NG_VALUE_ACCESSOR } from '@angular/forms';
import { NzDatePickerModule } from 'ng-zorro-antd/date-picker';
import { NzFormModule } from 'ng-zorro-antd/form';
import { I18n } from '../../core/i18n/i18n.service';

/**
 * A date-and-time form field (Ant form item + `nz-date-picker nzShowTime`) whose value is an instant (ISO string).
 * It shows and takes the time in the display time zone, whatever the browser's zone: the conversion is I18n's
 * (core/i18n/zoned-time.ts), and the field says which zone it is.
 */
@Component({
  selector: 'app-date-time-field',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, NzDatePickerModule, NzFormModule],
  providers: [{ provide: NG_VALUE_ACCESSOR, useExisting: forwardRef(() => DateTimeFieldComponent), multi: true }],
  styles: `nz-date-picker { width: 100%; }`,
  template: `
    <nz-form-item>
      <nz-form-label [nzRequired]="required()" [nzFor]="fieldId()">{{ label() }}</nz-form-label>
      <nz-form-control [nzValidateStatus]="message() ? 'error' : ''" [nzErrorTip]="message() ?? ''" [nzExtra]="t('time.zoneNote', { zone: i18n.timeZoneName() })">
        <nz-date-picker [nzId]="fieldId()" [ngModel]="picked()" (ngModelChange)="pick($event)" [nzDisabled]="disabled()" nzShowTime nzFormat="yyyy-MM-dd HH:mm" [nzPlaceHolder]="t('time.pick')" [attr.data-testid]="testId()" />
      </nz-form-control>
    </nz-form-item>
  `,
})
export class DateTimeFieldComponent implements ControlValueAccessor {
  protected readonly i18n = inject(I18n);
  protected readonly t = this.i18n.t;
  readonly label = input.required<string>();
  readonly fieldId = input.required<string>();
  readonly testId = input<string | null>(null);
  readonly required = input(false, { transform: booleanAttribute });
  /** What to say when a required time is missing, once `showErrors` is on. */
  readonly requiredMessage = input('');
  /** A problem the page found with the value (an end before the start): shown as soon as it is set. */
  readonly problem = input<string | null>(null);
  readonly showErrors = input(false);

  private readonly value = signal<string | null>(null);
  protected readonly disabled = signal(false);
  protected readonly picked = computed(() => this.i18n.pickerDate(this.value()));
  protected readonly message = computed(() => this.problem() ?? (this.showErrors() && this.required() && !this.value() ? this.requiredMessage() : null));
  private onChange: (value: string | null) => void = () => undefined;
  private onTouched: () => void = () => undefined;

  protected pick(date: Date | null): void {
    const instant = this.i18n.pickedInstant(date);
    this.value.set(instant);
    this.onChange(instant);
    this.onTouched();
  }

  writeValue(value: string | null): void {
    this.value.set(value || null);
  }
  registerOnChange(fn: (value: string | null) => void): void {
    this.onChange = fn;
  }
  registerOnTouched(fn: () => void): void {
    this.onTouched = fn;
  }
  setDisabledState(disabled: boolean): void {
    this.disabled.set(disabled);
  }
}
