import { ChangeDetectionStrategy, Component, Directive, type TemplateRef, booleanAttribute, computed, contentChild, inject, input } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NgControl } from '@angular/forms';
import { NzFormStatusService } from 'ng-zorro-antd/core/form';
import { NzFormModule } from 'ng-zorro-antd/form';

/**
 * Passes nz-form-control's status (error, success, …) on to the field's own status service, which the projected
 * control (nz-input, nz-select, the pickers) reads for its red or green border: the control is declared in the page's
 * template, so it cannot reach nz-form-control's service itself.
 */
@Directive({ selector: '[appFormStatusRelay]' })
export class FormStatusRelayDirective {
  constructor() {
    const field = inject(NzFormStatusService);
    const outer = inject(FormFieldComponent).formStatus;
    field.formStatusChanges.pipe(takeUntilDestroyed()).subscribe((status) => outer.formStatusChanges.next(status));
  }
}

/**
 * One Ant form field: the label (for the control's id), the projected control, and under it the field's help, its
 * problem or its all-clear. `<app-form-field [label]="t('…')" fieldId="x"><input nz-input id="x" … /></app-form-field>`.
 * Without an `error`, the status follows the projected form control, as nz-form-control's own does.
 */
@Component({
  selector: 'app-form-field',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzFormModule, FormStatusRelayDirective],
  providers: [NzFormStatusService],
  template: `
    <nz-form-item>
      <nz-form-label [nzRequired]="required()" [nzFor]="fieldId()">{{ label() }}</nz-form-label>
      <nz-form-control [nzValidateStatus]="status()" [nzErrorTip]="error() || invalidTip()" [nzSuccessTip]="okTip()" [nzExtra]="extra()">
        <ng-container appFormStatusRelay />
        <ng-content />
      </nz-form-control>
    </nz-form-item>
  `,
  styles: `:host { display: block; }`,
})
export class FormFieldComponent {
  readonly formStatus = inject(NzFormStatusService);

  readonly label = input.required<string>();
  /** The id of the control the label is for. */
  readonly fieldId = input.required<string>();
  /** Marks the label as required (the control carries its own validators). */
  readonly required = input(false, { transform: booleanAttribute });
  /** Help under the control (a text or a template). */
  readonly extra = input<string | TemplateRef<void>>();
  /** What is wrong with the value: said under the control, which turns red. */
  readonly error = input<string | null | undefined>(null);
  /** Said while the projected control fails its own validators (once touched). */
  readonly invalidTip = input('');
  /** Said under the control, in green, while `ok` holds and there is no error. */
  readonly okTip = input('');
  readonly ok = input(false);

  private readonly control = contentChild(NgControl);
  protected readonly status = computed(() =>
    this.error() ? 'error' : this.ok() && this.okTip() ? 'success' : (this.control()?.control ?? ''),
  );
}
