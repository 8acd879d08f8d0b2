import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, input, signal, type OnInit } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import type { OrganisationPartnersView } from '@aitrainer/contracts';
import { toApiProblem } from '../../core/http/api-problem';
import { API_V1 } from '../../core/http/api-url';
import { Localized } from '../../core/i18n/localized';
import { fieldProblemText, problemMessage } from '../../core/notifications/problem-text';
import { Confirm } from '../../shared/util/confirm';

/**
 * A certifying enterprise's partner schools: only their students can be registered for its exam sessions. Its org
 * admin adds a school (chosen from every school) or ends a partnership; each change is audited on the server.
 */
@Component({
  selector: 'app-partner-schools',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, NzSelectModule, NzTableModule, NzButtonModule],
  template: `
    @if (view(); as v) {
      <div class="inline-form">
        <label class="visually-hidden" for="partner-school">{{ t('partners.choose') }}</label>
        <nz-select
          nzId="partner-school"
          class="partner-select"
          [ngModel]="chosen()"
          (ngModelChange)="chosen.set($event)"
          nzShowSearch
          nzAllowClear
          [nzPlaceHolder]="t('partners.choose')"
          [attr.aria-label]="t('partners.choose')"
          data-testid="partner-choose"
        >
          @for (s of v.otherSchools; track s.id) {
            <nz-option [nzValue]="s.id" [nzLabel]="s.name" />
          }
        </nz-select>
        <button nz-button nzType="primary" type="button" [disabled]="!chosen() || pending()" (click)="add()" data-testid="partner-add">{{ t('partners.add') }}</button>
      </div>
      <nz-table #table [nzData]="v.partners" [nzFrontPagination]="false" [nzShowPagination]="false" nzSize="small" [nzNoResult]="t('partners.none')" data-testid="partner-table">
        <thead><tr><th>{{ t('partners.school') }}</th><th>{{ t('partners.since') }}</th><th></th></tr></thead>
        <tbody>
          @for (p of table.data; track p.id) {
            <tr [attr.data-testid]="'partner-' + p.id">
              <td>{{ p.name }}</td>
              <td>{{ i18n.dateTime(p.since) }}</td>
              <td><button nz-button nzSize="small" nzDanger type="button" [disabled]="pending()" (click)="remove(p.id, p.name)" [attr.data-testid]="'partner-remove-' + p.id">{{ t('partners.remove') }}</button></td>
            </tr>
          }
        </tbody>
      </nz-table>
    }
    @if (message(); as m) { <p role="status" data-testid="partner-message">{{ m }}</p> }
  `,
  styles: [':host { display: block; } .partner-select { min-width: 16rem; }'],
})
export class PartnerSchoolsComponent extends Localized implements OnInit {
  /** The certifying enterprise's id. */
  readonly issuerId = input.required<number>();
  private readonly http = inject(HttpClient);
  private readonly confirm = inject(Confirm);
  protected readonly view = signal<OrganisationPartnersView | null>(null);
  protected readonly chosen = signal<number | null>(null);
  protected readonly pending = signal(false);
  protected readonly message = signal<string | null>(null);

  ngOnInit(): void {
    this.http.get<OrganisationPartnersView>(this.url()).subscribe({ next: (v) => this.view.set(v), error: (e) => this.fail(e) });
  }

  protected add(): void {
    const id = this.chosen();
    const name = this.view()?.otherSchools.find((s) => s.id === id)?.name ?? '';
    if (!id) return;
    this.pending.set(true);
    this.http.put<OrganisationPartnersView>(`${this.url()}/${id}`, {}).subscribe({
      next: (v) => this.done(v, this.t('partners.added', { name })),
      error: (e) => this.fail(e),
    });
  }

  protected async remove(id: number, name: string): Promise<void> {
    if (!(await this.confirm.ask(this.t('partners.confirmRemove', { name }), { danger: true }))) return;
    this.pending.set(true);
    this.http.delete<OrganisationPartnersView>(`${this.url()}/${id}`).subscribe({
      next: (v) => this.done(v, this.t('partners.removed', { name })),
      error: (e) => this.fail(e),
    });
  }

  private url(): string {
    return `${API_V1}/organisations/${this.issuerId()}/partners`;
  }

  private done(v: OrganisationPartnersView, message: string): void {
    this.view.set(v);
    this.chosen.set(null);
    this.pending.set(false);
    this.message.set(message);
  }

  private fail(e: unknown): void {
    this.pending.set(false);
    const p = toApiProblem(e);
    this.message.set([problemMessage(p, this.i18n), ...p.fields.map((f) => fieldProblemText(f, this.i18n))].join(' '));
  }
}
