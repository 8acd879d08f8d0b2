import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/** A problem shown under a form field; `hint` renders the same place in a calmer colour. */
@Component({
  selector: 'app-field-error',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'field-message', '[class.field-message--ok]': 'ok()', '[attr.role]': "ok() ? null : 'alert'" },
  template: `{{ message() }}`,
})
export class FieldErrorComponent {
  readonly message = input.required<string>();
  readonly ok = input(false);
}
