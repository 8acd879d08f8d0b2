import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/** A page's title with its page-wide actions beside it (Ant's page-header layout, the product's tokens). */
@Component({
  selector: 'app-page-header',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page-header">
      <h1 class="page-title" [attr.data-testid]="testId()">{{ title() }}</h1>
      <div class="page-header__extra"><ng-content /></div>
    </div>
    @if (subtitle()) { <p class="muted small page-header__sub">{{ subtitle() }}</p> }
  `,
  styles: `
    .page-header { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1rem; margin-bottom: 0.75rem; }
    .page-header .page-title { margin: 0; }
    .page-header__extra { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 0.75rem; }
    .page-header__extra ::ng-deep .btn { text-decoration: none; }
    .page-header__sub { margin-top: -0.25rem; }
  `,
})
export class PageHeaderComponent {
  readonly title = input.required<string>();
  readonly testId = input<string | null>(null);
  readonly subtitle = input('');
}
