import { ChangeDetectionStrategy, Component, booleanAttribute, computed, forwardRef, input, signal } from '@angular/core';
import { type ControlValueAccessor, FormsModule, NG_VALUE_ACCESSOR } from '@angular/forms';
import { NzDatePickerModule } from 'ng-zorro-antd/date-picker';
import { NzTimePickerModule } from 'ng-zorro-antd/time-picker';
import { Localized } from '../../core/i18n/localized';
import { FormFieldComponent } from './form-field.component';

/**
 * A date-and-time form field whose value is an instant (ISO string): an Ant date picker (`yyyy-MM-dd`) and an Ant
 * time picker (`HH:mm`) side by side. Each takes a typed value and commits it when the user leaves it (Tab, a click
 * elsewhere) or presses Enter, and takes a click in its panel as well; a single date-time picker (`nzShowTime`) lost
 * a typed time on Tab. The day and time are a wall clock in the display time zone, whatever the browser's zone
 * (I18n.pickerDate / pickedInstant, core/i18n/zoned-time.ts); the field says which zone it is.
 * `testId` is set on the wrapper; the two inputs are `<testId>-date` and `<testId>-time`.
 */
@Component({
  selector: 'app-date-time-field',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, FormFieldComponent, NzDatePickerModule, NzTimePickerModule],
  providers: [{ provide: NG_VALUE_ACCESSOR, useExisting: forwardRef(() => DateTimeFieldComponent), multi: true }],
  styles: `
    .pair { display: flex; flex-wrap: wrap; gap: 0.5rem; }
    .pair nz-date-picker { flex: 1 1 9rem; min-width: 9rem; }
    .pair nz-time-picker { flex: 0 1 7rem; min-width: 6rem; }
  `,
  template: `
    <app-form-field [label]="label()" [fieldId]="fieldId()" [required]="required()" [error]="message()" [extra]="t('time.zoneNote', { zone: i18n.timeZoneName() })">
      <div class="pair" [attr.data-testid]="testId()">
        <nz-date-picker
          [nzId]="fieldId()"
          nzFormat="yyyy-MM-dd"
          [ngModel]="day()"
          (ngModelChange)="setDay($event)"
          [nzDisabled]="disabled()"
          [nzPlaceHolder]="t('time.dayPlaceholder')"
          [attr.data-testid]="testId() ? testId() + '-date' : null"
        />
        <label class="visually-hidden" [for]="fieldId() + '-time'">{{ label() }} · {{ t('time.timeOfDay') }}</label>
        <nz-time-picker
          [nzId]="fieldId() + '-time'"
          nzFormat="HH:mm"
          [ngModel]="time()"
          (ngModelChange)="setTime($event)"
          [nzDisabled]="disabled()"
          [nzPlaceHolder]="t('time.timePlaceholder')"
          [attr.data-testid]="testId() ? testId() + '-time' : null"
        />
      </div>
    </app-form-field>
  `,
})
export class DateTimeFieldComponent extends Localized implements ControlValueAccessor {
  readonly label = input.required<string>();
  readonly fieldId = input.required<string>();
  readonly testId = input<string | null>(null);
  readonly required = input(false, { transform: booleanAttribute });
  /** What to say when a required time is missing, once `showErrors` is on. */
  readonly requiredMessage = input('');
  /** A problem the page found with the value (an end before the start): shown as soon as it is set. */
  readonly problem = input<string | null>(null);
  readonly showErrors = input(false);

  /** The picked day (local midnight) and time of day (only hours and minutes count): a wall clock in the display zone. */
  protected readonly day = signal<Date | null>(null);
  protected readonly time = signal<Date | null>(null);
  protected readonly disabled = signal(false);
  private readonly value = computed(() => {
    const day = this.day();
    const time = this.time();
    if (!day || !time) return null;
    const wall = new Date(day.getFullYear(), day.getMonth(), day.getDate(), time.getHours(), time.getMinutes(), 0);
    return this.i18n.pickedInstant(wall);
  });
  protected readonly message = computed(() => this.problem() ?? (this.showErrors() && this.required() && !this.value() ? this.requiredMessage() : null));
  private onChange: (value: string | null) => void = () => undefined;
  private onTouched: () => void = () => undefined;

  protected setDay(day: Date | null): void {
    this.day.set(day);
    this.emit();
  }

  protected setTime(time: Date | null): void {
    this.time.set(time);
    this.emit();
  }

  private emit(): void {
    this.onChange(this.value());
    this.onTouched();
  }

  writeValue(value: string | null): void {
    const wall = this.i18n.pickerDate(value || null);
    this.day.set(wall ? new Date(wall.getFullYear(), wall.getMonth(), wall.getDate()) : null);
    this.time.set(wall);
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
