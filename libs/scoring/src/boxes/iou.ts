/** An axis-aligned box: top-left corner (x, y), width and height, all in the same unit (pixels or percent). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Intersection over union of two boxes. A box with zero (or negative) width or height has no area: its IoU with
 * anything, itself included, is 0, so it never matches.
 */
export function iou(a: Box, b: Box): number {
  if (a.width <= 0 || a.height <= 0 || b.width <= 0 || b.height <= 0) return 0;
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  if (w <= 0) return 0;
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/**
 * Slack for `iou >= threshold`: with fractional coordinates (Label Studio stores percentages) an IoU that is
 * exactly the threshold on paper can come out a few ulps below it. With integer pixel coordinates the IoU is a
 * correctly rounded exact ratio and the slack changes nothing.
 */
export const IOU_EPSILON = 1e-9;
