import type { Box } from './iou';
import { iou } from './iou';

/** A box that may be rotated: Label Studio's convention, `rotation` degrees clockwise about the top-left corner (x, y). */
export interface RotatedBox extends Box {
  rotation?: number;
}

export type Point = readonly [number, number];

/**
 * The four corners of a box, clockwise on screen (y grows downwards). Coordinates are in percent of the image, the
 * rotation applies in pixels: `width`/`height` are the image's pixel size (a square when unknown).
 */
export function boxCorners(b: RotatedBox, imageWidth = 100, imageHeight = 100): Point[] {
  const sx = imageWidth / 100, sy = imageHeight / 100;
  const t = ((b.rotation ?? 0) * Math.PI) / 180;
  const cos = Math.cos(t), sin = Math.sin(t);
  const x0 = b.x * sx, y0 = b.y * sy, w = b.width * sx, h = b.height * sy;
  const pts: Point[] = [
    [x0, y0],
    [x0 + w * cos, y0 + w * sin],
    [x0 + w * cos - h * sin, y0 + w * sin + h * cos],
    [x0 - h * sin, y0 + h * cos],
  ];
  return pts.map(([x, y]) => [x / sx, y / sy] as const);
}

/** Area of a simple polygon (shoelace), always >= 0. */
export function polygonArea(p: readonly Point[]): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const [x1, y1] = p[i];
    const [x2, y2] = p[(i + 1) % p.length];
    s += x1 * y2 - x2 * y1;
  }
  return Math.abs(s) / 2;
}

/** Signed orientation of a convex polygon: > 0 when its vertices run counter-clockwise in a y-up frame. */
function orientation(p: readonly Point[]): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += p[i][0] * p[(i + 1) % p.length][1] - p[(i + 1) % p.length][0] * p[i][1];
  return s;
}

/** Intersection of two convex polygons (Sutherland–Hodgman): the subject clipped by each edge of the clip polygon. */
export function clipConvex(subject: readonly Point[], clip: readonly Point[]): Point[] {
  const sign = orientation(clip) >= 0 ? 1 : -1;
  let out: Point[] = [...subject];
  for (let i = 0; i < clip.length && out.length > 0; i++) {
    const a = clip[i], b = clip[(i + 1) % clip.length];
    const side = (p: Point) => sign * ((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]));
    const input = out;
    out = [];
    for (let j = 0; j < input.length; j++) {
      const p = input[j], q = input[(j + 1) % input.length];
      const sp = side(p), sq = side(q);
      if (sp >= 0) out.push(p);
      if ((sp >= 0) !== (sq >= 0)) {
        const t = sp / (sp - sq);
        out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
      }
    }
  }
  // A vertex lying on a clip edge is kept once from each side: drop repeats.
  return out.filter((p, i) => {
    const q = out[(i + 1) % out.length];
    return out.length < 2 || Math.abs(p[0] - q[0]) > 1e-12 || Math.abs(p[1] - q[1]) > 1e-12;
  });
}

/**
 * IoU of two boxes that may be rotated. Without rotation it is exactly {@link iou}; otherwise the two rectangles are
 * intersected as polygons. IoU does not change when both boxes are scaled alike, so percent coordinates serve, but
 * the corners depend on the image's aspect ratio (rotation is in pixels): pass the image's pixel size.
 */
export function rotatedIou(a: RotatedBox, b: RotatedBox, imageWidth = 100, imageHeight = 100): number {
  if (!(a.rotation ?? 0) && !(b.rotation ?? 0)) return iou(a, b);
  if (a.width <= 0 || a.height <= 0 || b.width <= 0 || b.height <= 0) return 0;
  const pa = boxCorners(a, imageWidth, imageHeight), pb = boxCorners(b, imageWidth, imageHeight);
  const inter = polygonArea(clipConvex(pa, pb));
  if (inter <= 0) return 0;
  const union = polygonArea(pa) + polygonArea(pb) - inter;
  return union > 0 ? Math.min(1, inter / union) : 0;
}
