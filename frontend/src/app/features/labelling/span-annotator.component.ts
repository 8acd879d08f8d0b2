import { ChangeDetectionStrategy, Component, ElementRef, computed, inject, input, linkedSignal, output, signal, viewChild } from '@angular/core';
import { I18n } from '../../core/i18n/i18n.service';

export interface Span {
  start: number;
  end: number;
  type: string;
}

interface Segment {
  /** UTF-16 start index into the text (what the DOM selection reports). */
  from: number;
  text: string;
  span: number | null;
  selected: boolean;
  caret: boolean;
}

/**
 * Named-entity spans over a text. Offsets in the value are code points (as @aitrainer/scoring wants); the DOM works
 * in UTF-16 indices, converted through a table built once per text. The text is rendered as one element per run
 * between span and selection boundaries (about 2 per span), never one per character, so 5,000 characters with 200
 * spans stay a few hundred nodes.
 * Mouse: select text, then press 1-9 (or click a type). Keyboard: focus the text, ←/→ move the caret,
 * Shift+←/→ select, 1-9 label the selection (or retype the selected entity), Delete removes it, Esc clears.
 */
@Component({
  selector: 'app-span-annotator',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="types" role="toolbar" [attr.aria-label]="t('labelling.entityTypes')">
      @for (type of types(); track type; let i = $index) {
        <button type="button" class="btn btn--small" [attr.data-testid]="'span-type-' + i" (click)="apply(i)">
          <kbd>{{ i + 1 }}</kbd> {{ type }}
        </button>
      }
    </div>
    <div #box class="text" tabindex="0" data-testid="span-text" role="textbox" aria-readonly="true" aria-multiline="true"
      [attr.aria-label]="t('labelling.spanHelp')" (mouseup)="fromMouse()" (keydown)="onKey($event)">@for (seg of segments(); track seg.from) {<span
        [attr.data-from]="seg.from" [class.ent]="seg.span !== null" [class.sel]="seg.selected" [class.caret]="seg.caret"
        [class.picked]="seg.span !== null && seg.span === picked()" [attr.data-type]="seg.span !== null ? spans()[seg.span].type : null"
        (click)="seg.span !== null && pick(seg.span)">{{ seg.text }}</span>}</div>
    <p class="muted small">{{ t('labelling.spanHelp') }}</p>
    <ul class="ents" data-testid="span-list">
      @for (s of spans(); track $index; let i = $index) {
        <li [class.picked]="i === picked()">
          <button type="button" class="link" (click)="pick(i)">{{ s.type }}: {{ slice(s) }}</button>
          <button type="button" class="btn btn--small" [attr.aria-label]="t('labelling.remove')" (click)="remove(i)">×</button>
        </li>
      }
    </ul>
  `,
  styles: `
    .types { display: flex; flex-wrap: wrap; gap: 0.4rem; margin-bottom: 0.5rem; }
    .text { white-space: pre-wrap; line-height: 2; padding: 0.75rem; border: 1px solid var(--border); border-radius: var(--radius); max-height: 60vh; overflow: auto; font-size: 1.05rem; }
    .ent { background: #fde9b6; border-bottom: 2px solid #c98a00; cursor: pointer; }
    .ent[data-type]::after { content: attr(data-type); font-size: 0.65rem; vertical-align: super; color: #7a5200; margin-left: 1px; }
    .sel { background: #b9d3fb; }
    .caret { box-shadow: inset 2px 0 0 var(--brand); }
    .picked { outline: 2px solid var(--brand); }
    .ents { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.35rem; max-height: 8rem; overflow: auto; }
    .ents li { display: flex; gap: 0.25rem; align-items: center; border: 1px solid var(--border); border-radius: var(--radius); padding: 0 0.25rem; }
    .link { background: none; border: 0; color: var(--brand); cursor: pointer; }
  `,
})
export class SpanAnnotatorComponent {
  protected readonly t = inject(I18n).t;
  readonly text = input.required<string>();
  readonly types = input.required<string[]>();
  readonly value = input.required<Span[]>();
  readonly changed = output<Span[]>();
  /** The latest spans: follows the input, and changes at once on an edit (keys can come faster than the parent re-renders). */
  protected readonly spans = linkedSignal<Span[]>(() => this.value());

  private readonly box = viewChild.required<ElementRef<HTMLElement>>('box');
  /** Selection in code points: anchor (where it started) and focus (the caret). */
  private readonly anchor = signal(0);
  private readonly focus = signal(0);
  protected readonly picked = signal<number | null>(null);

  /** utf16[cp] = UTF-16 index of code point cp; its length is the code-point length + 1. */
  private readonly utf16 = computed(() => {
    const text = this.text();
    const out: number[] = [];
    let i = 0;
    for (const ch of text) {
      out.push(i);
      i += ch.length;
    }
    out.push(i);
    return out;
  });
  private readonly length = computed(() => this.utf16().length - 1);

  protected readonly segments = computed<Segment[]>(() => {
    const text = this.text();
    const map = this.utf16();
    const spans = this.spans();
    const [selStart, selEnd] = this.range();
    const cuts = new Set<number>([0, this.length(), selStart, selEnd, this.focus()]);
    for (const s of spans) {
      cuts.add(s.start);
      cuts.add(s.end);
    }
    const points = [...cuts].filter((c) => c >= 0 && c <= this.length()).sort((a, b) => a - b);
    // Spans cover their range; with overlaps the later one wins the colour (both stay in the list).
    const owner = new Map<number, number>();
    spans.forEach((s, index) => {
      for (const p of points) if (p >= s.start && p < s.end) owner.set(p, index);
    });
    const out: Segment[] = [];
    for (let k = 0; k < points.length - 1; k++) {
      const a = points[k];
      const b = points[k + 1];
      out.push({ from: map[a], text: text.slice(map[a], map[b]), span: owner.get(a) ?? null, selected: a >= selStart && b <= selEnd && selStart < selEnd, caret: a === this.focus() });
    }
    if (out.length === 0) out.push({ from: 0, text: '', span: null, selected: false, caret: true });
    return out;
  });

  private range(): [number, number] {
    const a = this.anchor();
    const f = this.focus();
    return a <= f ? [a, f] : [f, a];
  }

  protected slice(s: Span): string {
    const map = this.utf16();
    return this.text().slice(map[s.start], map[s.end]);
  }

  /** Reads the browser selection into code-point offsets. */
  protected fromMouse(): void {
    const sel = document.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    const r = sel.getRangeAt(0);
    const start = this.toCodePoint(r.startContainer, r.startOffset);
    const end = this.toCodePoint(r.endContainer, r.endOffset);
    if (start === null || end === null) return;
    this.anchor.set(start);
    this.focus.set(end);
    this.picked.set(null);
    sel.removeAllRanges();
    this.box().nativeElement.focus();
  }

  private toCodePoint(node: Node, offset: number): number | null {
    const el = (node.nodeType === Node.TEXT_NODE ? node.parentElement : (node as Element)) as HTMLElement | null;
    const seg = el?.closest('[data-from]') as HTMLElement | null;
    if (!seg || !this.box().nativeElement.contains(seg)) {
      if (node === this.box().nativeElement) return offset === 0 ? 0 : this.length();
      return null;
    }
    const index = Number(seg.dataset['from']) + (node.nodeType === Node.TEXT_NODE ? offset : 0);
    // Binary search the code point whose UTF-16 index is the largest <= index (never splits a surrogate pair).
    const map = this.utf16();
    let lo = 0;
    let hi = map.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (map[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  protected onKey(e: KeyboardEvent): void {
    const n = this.length();
    const step = e.ctrlKey || e.altKey ? 10 : 1;
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft' || e.key === 'Home' || e.key === 'End') {
      const dir = e.key === 'ArrowRight' ? step : e.key === 'ArrowLeft' ? -step : 0;
      const next = e.key === 'Home' ? 0 : e.key === 'End' ? n : Math.max(0, Math.min(n, this.focus() + dir));
      this.focus.set(next);
      if (!e.shiftKey) this.anchor.set(next);
      this.picked.set(null);
      e.preventDefault();
    } else if (/^[1-9]$/.test(e.key) && !e.ctrlKey && !e.metaKey) {
      this.apply(Number(e.key) - 1);
      e.preventDefault();
    } else if ((e.key === 'Delete' || e.key === 'Backspace') && this.picked() !== null) {
      this.remove(this.picked()!);
      e.preventDefault();
    } else if (e.key === 'Escape') {
      this.anchor.set(this.focus());
      this.picked.set(null);
    }
  }

  protected pick(i: number): void {
    this.picked.set(i);
    const s = this.spans()[i];
    this.anchor.set(s.start);
    this.focus.set(s.start);
  }

  /** Labels the selection with type `i`, or retypes the picked entity. */
  apply(i: number): void {
    const type = this.types()[i];
    if (!type) return;
    const picked = this.picked();
    if (picked !== null) {
      this.emit(this.spans().map((s, k) => (k === picked ? { ...s, type } : s)));
      return;
    }
    const [start, end] = this.range();
    if (start === end) return;
    if (this.spans().some((s) => s.start === start && s.end === end && s.type === type)) return;
    this.emit([...this.spans(), { start, end, type }].sort((a, b) => a.start - b.start || a.end - b.end));
    this.anchor.set(end);
    this.focus.set(end);
  }

  private emit(next: Span[]): void {
    this.spans.set(next);
    this.changed.emit(next);
  }

  protected remove(i: number): void {
    this.picked.set(null);
    this.emit(this.spans().filter((_, k) => k !== i));
  }
}
