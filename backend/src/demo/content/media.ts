/**
 * Media of the demo exercises, made by code (nothing downloaded): road scenes as SVG drawings whose boxes are known
 * exactly, and short WAV recordings of beep codes (a digit d is d short beeps, 0 one long beep).
 */

export interface Shape {
  label: '车辆' | '行人' | '交通标志';
  x: number;
  y: number;
  width: number;
  height: number;
}

export const SCENE_WIDTH = 640;
export const SCENE_HEIGHT = 400;

function car(s: Shape, colour: string): string {
  const { x, y, width: w, height: h } = s;
  const r = Math.round(h * 0.18);
  return [
    `<rect x="${x}" y="${y + h * 0.35}" width="${w}" height="${h * 0.45}" rx="8" fill="${colour}"/>`,
    `<path d="M${x + w * 0.18} ${y + h * 0.36} L${x + w * 0.3} ${y} L${x + w * 0.72} ${y} L${x + w * 0.84} ${y + h * 0.36} Z" fill="${colour}"/>`,
    `<rect x="${x + w * 0.34} y="${y + h * 0.08}" width="${w * 0.16}" height="${h * 0.24}" fill="#cfe8ff"/>`,
    `<rect x="${x + w * 0.53}" y="${y + h * 0.08}" width="${w * 0.16}" height="${h * 0.24}" fill="#cfe8ff"/>`,
    `<circle cx="${x + w * 0.24}" cy="${y + h - r}" r="${r}" fill="#222"/>`,
    `<circle cx="${x + w * 0.76}" cy="${y + h - r}" r="${r}" fill="#222"/>`,
  ].join('');
}

function person(s: Shape, colour: string): string {
  const { x, y, width: w, height: h } = s;
  const head = w * 0.3;
  return [
    `<circle cx="${x + w / 2}" cy="${y + head}" r="${head}" fill="#f1c27d"/>`,
    `<rect x="${x + w * 0.15}" y="${y + head * 2}" width="${w * 0.7}" height="${h * 0.45}" rx="4" fill="${colour}"/>`,
    `<rect x="${x + w * 0.2}" y="${y + head * 2 + h * 0.45}" width="${w * 0.25}" height="${h - head * 2 - h * 0.45}" fill="#334"/>`,
    `<rect x="${x + w * 0.55}" y="${y + head * 2 + h * 0.45}" width="${w * 0.25}" height="${h - head * 2 - h * 0.45}" fill="#334"/>`,
  ].join('');
}

function sign(s: Shape): string {
  const { x, y, width: w, height: h } = s;
  const d = w;
  return [
    `<rect x="${x + w / 2 - 3}" y="${y + d}" width="6" height="${h - d}" fill="#777"/>`,
    `<circle cx="${x + w / 2}" cy="${y + d / 2}" r="${d / 2}" fill="#d22"/>`,
    `<circle cx="${x + w / 2}" cy="${y + d / 2}" r="${d / 2 - 6}" fill="#fff"/>`,
    `<text x="${x + w / 2}" y="${y + d / 2 + 7}" font-size="${Math.round(d * 0.4)}" text-anchor="middle" font-family="sans-serif" fill="#111">40</text>`,
  ].join('');
}

const COLOURS = ['#2b6cb0', '#c53030', '#2f855a', '#6b46c1', '#dd6b20'];

/** A road scene with the given objects, drawn so that each object fills its box exactly. */
export function sceneSvg(shapes: readonly Shape[], blur = 0): string {
  const body = shapes
    .map((s, i) => (s.label === '车辆' ? car(s, COLOURS[i % COLOURS.length]) : s.label === '行人' ? person(s, COLOURS[(i + 2) % COLOURS.length]) : sign(s)))
    .join('');
  const filter = blur > 0 ? `<defs><filter id="b"><feGaussianBlur stdDeviation="${blur}"/></filter></defs>` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SCENE_WIDTH}" height="${SCENE_HEIGHT}" viewBox="0 0 ${SCENE_WIDTH} ${SCENE_HEIGHT}">${filter}` +
    `<g${blur > 0 ? ' filter="url(#b)"' : ''}>` +
    `<rect width="${SCENE_WIDTH}" height="${SCENE_HEIGHT}" fill="#bfe3f5"/>` +
    `<rect y="230" width="${SCENE_WIDTH}" height="170" fill="#6b6f76"/>` +
    `<rect y="310" width="${SCENE_WIDTH}" height="6" fill="#f4f4f4" stroke-dasharray="40 30"/>` +
    `<rect y="222" width="${SCENE_WIDTH}" height="10" fill="#9aa0a6"/>` +
    body +
    `</g></svg>`
  );
}

/** A mono 8 kHz 16-bit WAV of a digit code: each digit d as d beeps of 0.15 s (0: one beep of 0.7 s), 0.9 s between digits. */
export function beepCodeWav(code: string): Buffer {
  const rate = 8000;
  const samples: number[] = [];
  const silence = (s: number) => {
    for (let i = 0; i < Math.round(s * rate); i++) samples.push(0);
  };
  const tone = (s: number, hz = 880) => {
    const n = Math.round(s * rate);
    for (let i = 0; i < n; i++) {
      const fade = Math.min(1, i / 80, (n - i) / 80);
      samples.push(Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * 12000 * fade));
    }
  };
  silence(0.5);
  for (const ch of code) {
    const d = Number(ch);
    if (d === 0) tone(0.7, 660);
    else
      for (let k = 0; k < d; k++) {
        tone(0.15);
        silence(0.15);
      }
    silence(0.9);
  }
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((v, i) => data.writeInt16LE(v, i * 2));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
