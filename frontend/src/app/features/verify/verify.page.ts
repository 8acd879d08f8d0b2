import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { map } from 'rxjs';
import { SessionStore } from '../../core/auth/session.store';
import { Localized } from '../../core/i18n/localized';
import { VerifyCredentialComponent } from './verify-credential.component';
import { VerifyFormComponent } from './verify-form.component';

/** Public certificate verification (no login): /verify?number=... is what the PDF's QR code opens. */
@Component({
  selector: 'app-verify-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [VerifyFormComponent, VerifyCredentialComponent, RouterLink],
  template: `
    <h1 class="page-title" data-testid="verify-title">{{ t('verify.title') }}</h1>
    <section class="card" aria-labelledby="verify-help">
      <p id="verify-help" class="muted">{{ t('verify.help') }}</p>
      <app-verify-form [initialNumber]="number() ?? ''" [initialName]="name() ?? ''" />
    </section>
    <section class="card section-gap" aria-labelledby="verify-credential-title">
      <h2 id="verify-credential-title">{{ t('verify.byCredential') }}</h2>
      <p class="muted">{{ t('verify.byCredentialHelp') }}</p>
      <app-verify-credential />
    </section>
    @if (!session.user()) {
      <p class="section-gap small"><a routerLink="/login">{{ t('verify.toLogin') }}</a></p>
    }
  `,
})
export class VerifyPage extends Localized {
  protected readonly session = inject(SessionStore);
  private readonly query = inject(ActivatedRoute).queryParamMap;
  protected readonly number = toSignal(this.query.pipe(map((q) => q.get('number'))));
  protected readonly name = toSignal(this.query.pipe(map((q) => q.get('name'))));
}
