// A tiny PNG encoder (RGBA, 8 bits per channel, no interlace) over node:zlib, and the two Teams app
// icons drawn with it: the colour icon (192×192, an envelope with a pulse line on the accent colour)
// and the outline icon (32×32, white on transparent, as Teams requires). Drawn in code so the package
// carries no image we did not make; the same input always gives the same bytes.
import { crc32, deflateSync } from 'node:zlib';

export const ACCENT = '#0F6CBD';

export interface Image {
  width: number;
  height: number;
  /** RGBA, row-major. */
  data: Uint8Array;
}

function chunk(type: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const tb = Buffer.concat([Buffer.from(type, 'latin1'), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(tb) >>> 0);
  return Buffer.concat([len, tb, crc]);
}

export function encodePng(img: Image): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(img.width, 0);
  ihdr.writeUInt32BE(img.height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const stride = img.width * 4;
  const raw = Buffer.alloc((stride + 1) * img.height);
  for (let y = 0; y < img.height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    Buffer.from(img.data.buffer, img.data.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Width, height, colour type and bit depth of a PNG (what the manifest check reads back). */
export function pngInfo(png: Buffer): { width: number; height: number; colorType: number; bitDepth: number } {
  if (png.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), bitDepth: png[24] as number, colorType: png[25] as number };
}

type Rgba = [number, number, number, number];

function hex(c: string, a = 255): Rgba {
  return [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16), a];
}

class Canvas {
  readonly img: Image;
  constructor(width: number, height: number, fill: Rgba) {
    this.img = { width, height, data: new Uint8Array(width * height * 4) };
    for (let i = 0; i < width * height; i++) this.img.data.set(fill, i * 4);
  }
  /** Cover sub-pixel samples (4×4 per pixel) where `inside` holds: antialiased shapes. */
  paint(inside: (x: number, y: number) => boolean, color: Rgba): void {
    const { width, height, data } = this.img;
    for (let py = 0; py < height; py++) {
      for (let px = 0; px < width; px++) {
        let hits = 0;
        for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (inside(px + (sx + 0.5) / 4, py + (sy + 0.5) / 4)) hits += 1;
        if (!hits) continue;
        const a = (hits / 16) * (color[3] / 255);
        const i = (py * width + px) * 4;
        const da = (data[i + 3] as number) / 255;
        const oa = a + da * (1 - a);
        for (let c = 0; c < 3; c++) data[i + c] = Math.round(((color[c] as number) * a + (data[i + c] as number) * da * (1 - a)) / (oa || 1));
        data[i + 3] = Math.round(oa * 255);
      }
    }
  }
}

/** Distance from (x, y) to the segment (ax, ay)–(bx, by). */
function segDist(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

/** The envelope and pulse in a unit square (0..1), stroke width w: shared by both icons. */
function drawMark(canvas: Canvas, size: number, inset: number, w: number, color: Rgba): void {
  const s = (v: number) => inset + v * (size - 2 * inset);
  const left = s(0.08), right = s(0.92), top = s(0.2), bottom = s(0.8);
  const half = w / 2;
  const lines: [number, number, number, number][] = [
    [left, top, right, top], [right, top, right, bottom], [right, bottom, left, bottom], [left, bottom, left, top],
    // the flap
    [left, top, s(0.5), s(0.52)], [s(0.5), s(0.52), right, top],
  ];
  canvas.paint((x, y) => lines.some(([ax, ay, bx, by]) => segDist(x, y, ax, ay, bx, by) <= half), color);
}

function drawPulse(canvas: Canvas, size: number, inset: number, w: number, color: Rgba): void {
  const s = (v: number) => inset + v * (size - 2 * inset);
  const pts: [number, number][] = [[0.2, 0.68], [0.38, 0.68], [0.45, 0.58], [0.53, 0.76], [0.6, 0.68], [0.8, 0.68]].map(([x, y]) => [s(x as number), s(y as number)]);
  canvas.paint((x, y) => pts.slice(1).some(([bx, by], i) => segDist(x, y, (pts[i] as [number, number])[0], (pts[i] as [number, number])[1], bx, by) <= w / 2), color);
}

/** 192×192 colour icon: white mark on the accent colour, full bleed. */
export function colorIcon(): Buffer {
  const size = 192;
  const c = new Canvas(size, size, hex(ACCENT));
  drawMark(c, size, 36, 10, hex('#FFFFFF'));
  drawPulse(c, size, 36, 9, hex('#FFD335'));
  return encodePng(c.img);
}

/** 32×32 outline icon: white on transparent. */
export function outlineIcon(): Buffer {
  const size = 32;
  const c = new Canvas(size, size, [255, 255, 255, 0]);
  drawMark(c, size, 2, 2.2, hex('#FFFFFF'));
  drawPulse(c, size, 2, 2, hex('#FFFFFF'));
  return encodePng(c.img);
}
