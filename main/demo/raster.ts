// A tiny software rasteriser for the demo videos: an rgb24 frame buffer with filled convex polygons, discs and thick
// lines (no anti-aliasing; the videos are small and only need to be legible).

export type Rgb = readonly [number, number, number];
export type Point2 = readonly [number, number];

export class RgbFrame {
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8Array(width * height * 3);
  }

  /** Vertical gradient from `top` to `bottom`. */
  fillGradient(top: Rgb, bottom: Rgb): void {
    const { width, height, data } = this;
    for (let y = 0; y < height; y++) {
      const k = height > 1 ? y / (height - 1) : 0;
      const r = top[0] + (bottom[0] - top[0]) * k;
      const g = top[1] + (bottom[1] - top[1]) * k;
      const b = top[2] + (bottom[2] - top[2]) * k;
      for (let x = 0, i = y * width * 3; x < width; x++, i += 3) {
        data[i] = r;
        data[i + 1] = g;
        data[i + 2] = b;
      }
    }
  }

  private span(y: number, x0: number, x1: number, color: Rgb): void {
    const from = Math.max(0, Math.ceil(x0 - 0.5));
    const to = Math.min(this.width - 1, Math.floor(x1 - 0.5));
    for (let x = from, i = (y * this.width + from) * 3; x <= to; x++, i += 3) {
      this.data[i] = color[0];
      this.data[i + 1] = color[1];
      this.data[i + 2] = color[2];
    }
  }

  /** Fills a convex polygon (pixel centres inside it), vertices in either winding. */
  fillConvex(points: readonly Point2[], color: Rgb): void {
    if (points.length < 3) return;
    let minY = Infinity;
    let maxY = -Infinity;
    for (const [, y] of points) {
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    const fromY = Math.max(0, Math.ceil(minY - 0.5));
    const toY = Math.min(this.height - 1, Math.floor(maxY - 0.5));
    for (let y = fromY; y <= toY; y++) {
      const sampleY = y + 0.5;
      let left = Infinity;
      let right = -Infinity;
      for (let i = 0; i < points.length; i++) {
        const [ax, ay] = points[i]!;
        const [bx, by] = points[(i + 1) % points.length]!;
        if ((ay <= sampleY && by > sampleY) || (by <= sampleY && ay > sampleY)) {
          const x = ax + ((sampleY - ay) / (by - ay)) * (bx - ax);
          left = Math.min(left, x);
          right = Math.max(right, x);
        }
      }
      if (left <= right) this.span(y, left, right, color);
    }
  }

  fillDisc(cx: number, cy: number, radius: number, color: Rgb): void {
    const fromY = Math.max(0, Math.ceil(cy - radius - 0.5));
    const toY = Math.min(this.height - 1, Math.floor(cy + radius - 0.5));
    for (let y = fromY; y <= toY; y++) {
      const dy = y + 0.5 - cy;
      const half = Math.sqrt(Math.max(0, radius * radius - dy * dy));
      this.span(y, cx - half, cx + half, color);
    }
  }

  /** A line of the given pixel thickness with square ends. */
  line(from: Point2, to: Point2, thickness: number, color: Rgb): void {
    const dx = to[0] - from[0];
    const dy = to[1] - from[1];
    const length = Math.hypot(dx, dy);
    if (length === 0) return this.fillDisc(from[0], from[1], thickness / 2, color);
    const nx = (-dy / length) * (thickness / 2);
    const ny = (dx / length) * (thickness / 2);
    this.fillConvex(
      [
        [from[0] + nx, from[1] + ny],
        [to[0] + nx, to[1] + ny],
        [to[0] - nx, to[1] - ny],
        [from[0] - nx, from[1] - ny],
      ],
      color,
    );
  }

  /** Turns the frame into tinted greyscale, like a monochrome headset camera. */
  toMonochrome(tint: Rgb): void {
    const { data } = this;
    for (let i = 0; i < data.length; i += 3) {
      const luma = (0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!) / 255;
      data[i] = luma * tint[0];
      data[i + 1] = luma * tint[1];
      data[i + 2] = luma * tint[2];
    }
  }
}
