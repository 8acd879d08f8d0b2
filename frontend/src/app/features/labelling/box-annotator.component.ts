import { ChangeDetectionStrategy, Component, ElementRef, computed, inject, input, linkedSignal, output, signal, viewChild } from '@angular/core';
import { I18n } from '../../core/i18n/i18n.service';

export interface LabelledBox {
  x: number;
  y: number;
  width: number;
  height: number;
  label: string;
  /** Degrees clockwise about the top-left corner, in pixels (Label Studio's convention); absent when 0. */
  rotation?: number;
}

type Drag = { kind: 'draw'; x0: number; y0: number } | { kind: 'move'; index: number; dx: number; dy: number } | { kind: 'resize'; index: number; corner: 'nw' | 'ne' | 'sw' | 'se' };

const round = (v: number) => Math.round(v * 100) / 100;
const clamp = (v: number) => Math.max(0, Math.min(100, v));

/**
 * Boxes on an image, in percent of the image (Label Studio's convention). One SVG over the image: a rect per box,
 * corner handles only on the selected one, so 100 boxes are about 100 elements. While dragging, only a draft
 * box changes; the value is emitted once on release.
 * Draw: drag on the image. Move: drag a box. Resize: drag a corner of the selected box. 1-9: current label
 * (or relabel the selected box). Arrows nudge the selected box (Shift: resize), Delete removes it.
 * Rotation: `[` and `]` turn the selected box 5° (Shift: 1°) about its top-left corner, or type the angle. A
 * rotated box is drawn turned in pixels (the image's own size, as Label Studio does), so it keeps its shape on
 * images that are not square; its corners are resized with Shift+arrows rather than dragged.
 */
@Component({
  selector: 'app-box-annotator',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="types" role="toolbar" [attr.aria-label]="t('labelling.labels')">
      @for (label of labels(); track label; let i = $index) {
        <button type="button" class="btn btn--small" [class.btn--primary]="label === current()" [attr.data-testid]="'box-label-' + i" (click)="useLabel(i)">
          <kbd>{{ i + 1 }}</kbd> {{ label }}
        </button>
      }
    </div>
    <div class="stage" tabindex="0" data-testid="box-stage" [attr.aria-label]="t('labelling.boxHelp')" (keydown)="onKey($event)">
      @if (src()) {
        <img [src]="src()" alt="" draggable="false" (load)="loaded($event)" />
      }
      <svg #svg viewBox="0 0 100 100" preserveAspectRatio="none" data-testid="box-svg"
        (pointerdown)="down($event, null)" (pointermove)="move($event)" (pointerup)="up($event)">
        @for (b of shown(); track $index; let i = $index) {
          <rect class="box" [class.picked]="i === picked()" [attr.x]="b.x" [attr.y]="b.y" [attr.width]="b.width" [attr.height]="b.height"
            [attr.transform]="turn(b)" [attr.data-label]="b.label" [attr.data-rotation]="b.rotation ?? 0" (pointerdown)="down($event, i)" />
        }
        @if (pickedBox(); as b) {
          @if (!b.rotation) {
          @for (c of corners; track c) {
            <rect class="handle" [attr.data-corner]="c" [attr.x]="(c[1] === 'w' ? b.x : b.x + b.width) - 0.8" [attr.y]="(c[0] === 'n' ? b.y : b.y + b.height) - 0.8"
              width="1.6" height="1.6" (pointerdown)="down($event, picked()!, c)" />
          }
          }
        }
        @if (drawing(); as d) {
          <rect class="box drawing" [attr.x]="d.x" [attr.y]="d.y" [attr.width]="d.width" [attr.height]="d.height" />
        }
      </svg>
    </div>
    @if (pickedBox(); as b) {
      <label class="rotation">{{ t('labelling.boxRotation') }}
        <input type="number" step="1" min="-360" max="360" [value]="b.rotation ?? 0" data-testid="box-rotation" (change)="rotateTo($any($event.target).valueAsNumber)" /> °</label>
    }
    <p class="muted small">{{ t('labelling.boxHelp') }} {{ t('labelling.boxRotateHelp') }} · <span data-testid="box-count">{{ boxes().length }}</span></p>
  `,
  styles: `
    .types { display: flex; flex-wrap: wrap; gap: 0.4rem; margin-bottom: 0.5rem; }
    .stage { position: relative; display: inline-block; max-width: 100%; min-width: 320px; min-height: 200px; background: #222; user-select: none; touch-action: none; }
    .stage img { display: block; max-width: 100%; max-height: 65vh; min-width: 320px; min-height: 200px; object-fit: fill; }
    svg { position: absolute; inset: 0; width: 100%; height: 100%; cursor: crosshair; }
    .box { fill: rgb(31 95 191 / 12%); stroke: #3d8bfd; stroke-width: 0.35; vector-effect: non-scaling-stroke; cursor: move; }
    .box.picked { stroke: #ffb000; fill: rgb(255 176 0 / 15%); }
    .drawing { stroke-dasharray: 1 1; }
    .handle { fill: #fff; stroke: #ffb000; stroke-width: 0.3; cursor: nwse-resize; }
    .rotation { display: inline-flex; gap: 0.4rem; align-items: center; margin-top: 0.4rem; }
    .rotation input { width: 5rem; }
  `,
})
export class BoxAnnotatorComponent {
  protected readonly t = inject(I18n).t;
  readonly src = input<string | null>(null);
  readonly labels = input.required<string[]>();
  readonly value = input.required<LabelledBox[]>();
  /** The image's pixel size, when the item gives it; otherwise the loaded image's. Rotation happens in pixels. */
  readonly imageSize = input<{ width?: number; height?: number } | null>(null);
  private readonly loadedSize = signal<{ width: number; height: number } | null>(null);
  readonly changed = output<LabelledBox[]>();
  /** The latest boxes: follows the input, and changes at once on an edit. */
  protected readonly boxes = linkedSignal<LabelledBox[]>(() => this.value());

  protected readonly corners = ['nw', 'ne', 'sw', 'se'] as const;
  private readonly svg = viewChild.required<ElementRef<SVGSVGElement>>('svg');
  protected readonly current = signal<string | null>(null);
  protected readonly picked = signal<number | null>(null);
  private drag: Drag | null = null;
  /** The box being moved or resized, shown in place of the stored one until release. */
  private readonly draft = signal<{ index: number; box: LabelledBox } | null>(null);
  protected readonly drawing = signal<LabelledBox | null>(null);

  protected readonly shown = computed(() => {
    const d = this.draft();
    const v = this.boxes();
    return d ? v.map((b, i) => (i === d.index ? d.box : b)) : v;
  });
  protected readonly pickedBox = computed(() => {
    const i = this.picked();
    return i === null ? null : (this.shown()[i] ?? null);
  });

  protected loaded(e: Event): void {
    const img = e.target as HTMLImageElement;
    if (img.naturalWidth && img.naturalHeight) this.loadedSize.set({ width: img.naturalWidth, height: img.naturalHeight });
  }

  /** The SVG transform of a rotated box: rotation in pixels, drawn in percent (a shear unless the image is square). */
  protected turn(b: LabelledBox): string | null {
    if (!b.rotation) return null;
    const given = this.imageSize();
    const size = given?.width && given?.height ? { width: given.width, height: given.height } : (this.loadedSize() ?? { width: 100, height: 100 });
    const t = (b.rotation * Math.PI) / 180;
    const sx = size.width / 100, sy = size.height / 100;
    const a = Math.cos(t), bb = (Math.sin(t) * sx) / sy, c = (-Math.sin(t) * sy) / sx, d = Math.cos(t);
    const e = b.x - (a * b.x + c * b.y), f = b.y - (bb * b.x + d * b.y);
    return `matrix(${a} ${bb} ${c} ${d} ${e} ${f})`;
  }

  protected rotateTo(deg: number): void {
    const p = this.picked();
    if (p === null || !Number.isFinite(deg)) return;
    this.emit(this.boxes().map((b, i) => (i === p ? norm({ ...b, rotation: deg }) : b)));
  }

  private label(): string {
    return this.current() ?? this.labels()[0];
  }

  protected useLabel(i: number): void {
    const label = this.labels()[i];
    if (!label) return;
    this.current.set(label);
    const p = this.picked();
    if (p !== null) this.emit(this.boxes().map((b, k) => (k === p ? { ...b, label } : b)));
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const r = this.svg().nativeElement.getBoundingClientRect();
    return { x: clamp(((e.clientX - r.left) / r.width) * 100), y: clamp(((e.clientY - r.top) / r.height) * 100) };
  }

  protected down(e: PointerEvent, index: number | null, corner?: 'nw' | 'ne' | 'sw' | 'se'): void {
    e.stopPropagation();
    e.preventDefault();
    this.svg().nativeElement.setPointerCapture?.(e.pointerId);
    const p = this.point(e);
    if (index === null) {
      this.picked.set(null);
      this.drag = { kind: 'draw', x0: p.x, y0: p.y };
      this.drawing.set({ x: p.x, y: p.y, width: 0, height: 0, label: this.label() });
    } else if (corner) {
      this.drag = { kind: 'resize', index, corner };
    } else {
      const b = this.boxes()[index];
      this.picked.set(index);
      this.drag = { kind: 'move', index, dx: p.x - b.x, dy: p.y - b.y };
    }
    (this.svg().nativeElement.parentElement as HTMLElement).focus({ preventScroll: true });
  }

  protected move(e: PointerEvent): void {
    const d = this.drag;
    if (!d) return;
    const p = this.point(e);
    if (d.kind === 'draw') {
      this.drawing.set({ x: Math.min(p.x, d.x0), y: Math.min(p.y, d.y0), width: Math.abs(p.x - d.x0), height: Math.abs(p.y - d.y0), label: this.label() });
    } else if (d.kind === 'move') {
      const b = this.boxes()[d.index];
      const maxX = b.rotation ? 100 : 100 - b.width, maxY = b.rotation ? 100 : 100 - b.height;
      this.draft.set({ index: d.index, box: { ...b, x: Math.min(maxX, Math.max(0, p.x - d.dx)), y: Math.min(maxY, Math.max(0, p.y - d.dy)) } });
    } else {
      const b = this.boxes()[d.index];
      let [x1, y1, x2, y2] = [b.x, b.y, b.x + b.width, b.y + b.height];
      if (d.corner.includes('w')) x1 = p.x;
      else x2 = p.x;
      if (d.corner.includes('n')) y1 = p.y;
      else y2 = p.y;
      this.draft.set({ index: d.index, box: { ...b, x: Math.min(x1, x2), y: Math.min(y1, y2), width: Math.abs(x2 - x1), height: Math.abs(y2 - y1) } });
    }
  }

  protected up(e: PointerEvent): void {
    const d = this.drag;
    this.drag = null;
    if (!d) return;
    this.move(e);
    if (d.kind === 'draw') {
      const b = this.drawing();
      this.drawing.set(null);
      if (b && b.width >= 0.5 && b.height >= 0.5) {
        this.emit([...this.boxes(), norm(b)]);
        this.picked.set(this.boxes().length - 1); // the box just drawn
      }
    } else {
      const draft = this.draft();
      this.draft.set(null);
      if (draft && draft.box.width > 0 && draft.box.height > 0) this.emit(this.boxes().map((b, i) => (i === draft.index ? norm(draft.box) : b)));
    }
  }

  private emit(next: LabelledBox[]): void {
    this.boxes.set(next);
    this.changed.emit(next);
  }

  protected onKey(e: KeyboardEvent): void {
    const p = this.picked();
    if (/^[1-9]$/.test(e.key) && !e.ctrlKey && !e.metaKey) {
      this.useLabel(Number(e.key) - 1);
      e.preventDefault();
      return;
    }
    if (p === null) return;
    const b = this.boxes()[p];
    if (!b) return;
    if (e.key === 'Delete' || e.key === 'Backspace') {
      this.picked.set(null);
      this.emit(this.boxes().filter((_, i) => i !== p));
      e.preventDefault();
      return;
    }
    if (e.key === '[' || e.key === ']' || e.key === '{' || e.key === '}') {
      e.preventDefault();
      const by = (e.shiftKey ? 1 : 5) * (e.key === '[' || e.key === '{' ? -1 : 1);
      this.rotateTo((b.rotation ?? 0) + by);
      return;
    }
    const step = 0.5;
    const delta: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const m = delta[e.key];
    if (!m) return;
    e.preventDefault();
    const room = (start: number) => (b.rotation ? 100 : 100 - start);
    const next = e.shiftKey
      ? { ...b, width: Math.max(0.5, Math.min(room(b.x), b.width + m[0])), height: Math.max(0.5, Math.min(room(b.y), b.height + m[1])) }
      : { ...b, x: Math.max(0, Math.min(b.rotation ? 100 : 100 - b.width, b.x + m[0])), y: Math.max(0, Math.min(b.rotation ? 100 : 100 - b.height, b.y + m[1])) };
    this.emit(this.boxes().map((x, i) => (i === p ? norm(next) : x)));
  }
}

function norm(b: LabelledBox): LabelledBox {
  const x = round(clamp(b.x));
  const y = round(clamp(b.y));
  // Rotation in (-180, 180]; a rotated box is anchored on the image, its far corners may turn past the edge.
  const r = b.rotation ? round((((b.rotation % 360) + 540) % 360) - 180 || 0) : 0;
  const rotation = r === -180 ? 180 : r;
  if (rotation) return { x, y, width: round(b.width), height: round(b.height), label: b.label, rotation };
  return { x, y, width: round(Math.min(100 - x, b.width)), height: round(Math.min(100 - y, b.height)), label: b.label };
}
