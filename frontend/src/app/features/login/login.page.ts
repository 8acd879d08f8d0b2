import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { AuthService } from '../../core/auth/auth.service';
import { LANDING_PATH, safeReturnUrl } from '../../core/auth/landing';
import { type ApiProblem, toApiProblem } from '../../core/http/api-problem';
import { Localized } from '../../core/i18n/localized';
import type { MessageKey } from '../../core/i18n/messages.zh';
import { problemMessage } from '../../core/notifications/problem-text';
import { DemoAccountsComponent } from './demo-accounts.component';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzButtonModule } from 'ng-zorro-antd/button';

/** The two sign-in fields, drawn by one loop. */
const FIELDS = [
  { name: 'username', label: 'login.username', autocomplete: 'username' },
  { name: 'password', label: 'login.password', autocomplete: 'current-password' },
] as const satisfies readonly { name: 'username' | 'password'; label: MessageKey; autocomplete: string }[];

@Component({
  selector: 'app-login-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, RouterLink, DemoAccountsComponent, NzFormModule, NzInputModule, NzButtonModule],
  template: `
    <section class="card login">
      <h1 class="login__title" data-testid="login-title">{{ t('login.title') }}</h1>
      <p class="muted login__subtitle">{{ t('login.subtitle') }}</p>

      @if (reason() === 'expired' && !error()) {
        <p class="banner banner--info" role="status" data-testid="login-expired">{{ t('login.expired') }}</p>
      }
      @if (error(); as error) {
        <p class="banner banner--error" role="alert" data-testid="login-error">{{ error }}</p>
      }

      <form nz-form nzLayout="vertical" [formGroup]="form" (ngSubmit)="submit()" novalidate>
        @for (f of fields; track f.name) {
          <nz-form-item>
            <nz-form-label [nzFor]="'login-' + f.name">{{ t(f.label) }}</nz-form-label>
            <nz-form-control>
              <input nz-input [id]="'login-' + f.name" [formControlName]="f.name" [name]="f.name" [type]="f.name === 'password' ? 'password' : 'text'" [attr.autocomplete]="f.autocomplete"
                     [attr.autocapitalize]="f.name === 'username' ? 'none' : null" [attr.spellcheck]="f.name === 'username' ? 'false' : null" [attr.data-testid]="'login-' + f.name" />
            </nz-form-control>
          </nz-form-item>
        }
        <button nz-button nzType="primary" nzBlock type="submit" [disabled]="pending()" data-testid="login-submit">
          {{ pending() ? t('login.submitting') : t('login.submit') }}
        </button>
      </form>
      <p class="section-gap small"><a routerLink="/verify" data-testid="login-verify-link">{{ t('verify.link') }}</a></p>
      <app-demo-accounts (picked)="form.setValue($event); problem.set(null)" />
    </section>
  `,
  styles: `
    .login { width: min(26rem, 100%); margin: 2rem auto; padding: 2rem; }
    .login__title { margin: 0; }
    .login__subtitle { margin: 0.25rem 0 1.5rem; }
    @media (max-width: 480px) { .login { margin: 0.5rem auto; padding: 1.25rem; } }
  `,
})
export class LoginPage extends Localized {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  protected readonly fields = FIELDS;

  /** Query parameters, bound by the router. */
  readonly returnUrl = input<string>();
  readonly reason = input<string>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    username: ['', Validators.required],
    password: ['', Validators.required],
  });
  protected readonly pending = signal(false);
  /** Kept as a problem, not a sentence, so that it follows a language switch. */
  protected readonly problem = signal<ApiProblem | 'missing' | null>(null);
  protected readonly error = computed(() => {
    const problem = this.problem();
    if (problem === null) return null;
    return problem === 'missing' ? this.t('login.missing') : problemMessage(problem, this.i18n);
  });

  protected submit(): void {
    if (this.pending()) return;
    const { username, password } = this.form.getRawValue();
    if (!username.trim() || !password) {
      this.problem.set('missing');
      return;
    }
    this.pending.set(true);
    this.problem.set(null);
    this.auth.login({ username: username.trim(), password }).subscribe({
      next: (user) => {
        this.pending.set(false);
        void this.router.navigateByUrl(safeReturnUrl(this.returnUrl()) ?? LANDING_PATH[user.role]);
      },
      error: (error: unknown) => {
        this.pending.set(false);
        this.problem.set(toApiProblem(error));
        this.form.controls.password.reset();
      },
    });
  }
}
