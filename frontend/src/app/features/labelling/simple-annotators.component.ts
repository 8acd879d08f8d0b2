import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal, output, signal } from '@angular/core';
import { I18n } from '../../core/i18n/i18n.service';

/** Choices with hotkeys 1-9: one label (single), several (multi, data-cleaning flags). */
@Component({
  selector: 'app-choice-annotator',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="choices" role="group" tabindex="0" data-testid="choices" (keydown)="onKey($event)">
      @for (c of options(); track c; let i = $index) {
        <button type="button" class="btn" [class.btn--primary]="latest().includes(c)" [attr.aria-pressed]="latest().includes(c)"
          [attr.data-testid]="'choice-' + i" (click)="toggle(c)"><kbd>{{ i + 1 }}</kbd> {{ display()(c) }}</button>
      }
    </div>
  `,
  styles: `.choices { display: flex; flex-wrap: wrap; gap: 0.5rem; padding: 0.25rem; }`,
})
export class ChoiceAnnotatorComponent {
  readonly options = input.required<string[]>();
  readonly chosen = input.required<string[]>();
  readonly multiple = input(false);
  readonly display = input<(c: string) => string>((c) => c);
  readonly changed = output<string[]>();
  protected readonly latest = linkedSignal(() => this.chosen());

  protected toggle(c: string): void {
    const now = this.latest();
    const next = !this.multiple() ? [c] : now.includes(c) ? now.filter((x) => x !== c) : [...now, c];
    this.latest.set(next);
    this.changed.emit(next);
  }

  protected onKey(e: KeyboardEvent): void {
    if (!/^[1-9]$/.test(e.key) || e.ctrlKey || e.metaKey) return;
    const c = this.options()[Number(e.key) - 1];
    if (c) {
      this.toggle(c);
      e.preventDefault();
    }
  }
}

/** Order responses best first by dragging (or with the ↑/↓ buttons for keyboard users). Ties are not offered. */
@Component({
  selector: 'app-rank-annotator',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <ol class="rank" data-testid="rank-list">
      @for (r of ordered(); track r.id; let i = $index; let last = $last) {
        <li draggable="true" (dragstart)="dragged.set(i)" (dragover)="$event.preventDefault()" (drop)="drop(i)" [attr.data-testid]="'rank-' + r.id">
          <span class="grip" aria-hidden="true">⋮⋮</span>
          <span class="txt">{{ r.text }}</span>
          <button type="button" class="btn btn--small" [disabled]="i === 0" [attr.aria-label]="t('labelling.moveUp')" (click)="moveTo(i, i - 1)">↑</button>
          <button type="button" class="btn btn--small" [disabled]="last" [attr.aria-label]="t('labelling.moveDown')" (click)="moveTo(i, i + 1)">↓</button>
        </li>
      }
    </ol>
  `,
  styles: `
    .rank { padding-left: 1.5rem; display: grid; gap: 0.5rem; }
    .rank li { display: flex; gap: 0.5rem; align-items: flex-start; border: 1px solid var(--border); border-radius: var(--radius); padding: 0.5rem; background: var(--surface); cursor: grab; }
    .txt { flex: 1; white-space: pre-wrap; }
    .grip { color: var(--text-muted); }
  `,
})
export class RankAnnotatorComponent {
  protected readonly t = inject(I18n).t;
  readonly responses = input.required<{ id: string; text: string }[]>();
  /** Tiers best first (one id each when set here). */
  readonly ranking = input.required<string[][]>();
  readonly changed = output<string[][]>();
  protected readonly dragged = signal<number | null>(null);

  protected readonly ordered = computed(() => {
    const order = this.ranking().flat();
    const byId = new Map(this.responses().map((r) => [r.id, r]));
    const listed = order.map((id) => byId.get(id)).filter((r): r is { id: string; text: string } => !!r);
    return [...listed, ...this.responses().filter((r) => !order.includes(r.id))];
  });

  protected drop(to: number): void {
    const from = this.dragged();
    this.dragged.set(null);
    if (from !== null) this.moveTo(from, to);
  }

  protected moveTo(from: number, to: number): void {
    const ids = this.ordered().map((r) => r.id);
    const [id] = ids.splice(from, 1);
    ids.splice(to, 0, id);
    this.changed.emit(ids.map((x) => [x]));
  }
}
