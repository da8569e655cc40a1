// Geometry for the dashboard's server-rendered SVG charts: plain numbers the view draws with SVG
// attributes only (the CSP forbids inline styles, and no chart library is needed for bars).
import { utcDay } from '../../lib/utc.js';

export interface Tick {
  value: number;
  /** Position along the value axis, in SVG units. */
  at: number;
}

export interface HorizontalBar {
  label: string;
  /** The whole label, for the bar's <title> when the visible one is shortened. */
  title: string;
  value: number;
  color: string;
  faded: boolean;
  y: number;
  width: number;
}

export interface HorizontalBarChart {
  width: number;
  height: number;
  labelWidth: number;
  barHeight: number;
  rowHeight: number;
  ticks: Tick[];
  bars: HorizontalBar[];
}

export interface Column {
  day: string;
  label: string;
  value: number;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Shown above the column: the busiest day and today. */
  showValue: boolean;
  /** Shown under the axis: every 7th day counting back from today. */
  showDay: boolean;
}

export interface ColumnChart {
  width: number;
  height: number;
  plot: { left: number; top: number; width: number; height: number; bottom: number };
  ticks: Tick[];
  columns: Column[];
  total: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-11-03" → "3 Nov". */
export const shortDay = (day: string) => `${Number(day.slice(8, 10))} ${MONTHS[Number(day.slice(5, 7)) - 1]}`;

/** The `count` UTC days ending with `today`'s, oldest first, as YYYY-MM-DD. */
export function lastDays(today: Date, count: number): string[] {
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Array.from({ length: count }, (_, i) => utcDay(new Date(end - (count - 1 - i) * 86_400_000)));
}

/** A round axis maximum ≥ max whose half is a whole number too (2, 4, 6, 8, 10, 20, 40…). */
export function niceMax(max: number): number {
  if (max <= 2) return 2;
  const scale = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 4, 6, 8, 10].find((m) => m * scale >= max)!;
  return step * scale;
}

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function horizontalBars(items: { label: string; value: number; color: string; faded?: boolean }[]): HorizontalBarChart {
  const width = 640;
  const labelWidth = 230;
  const valueSpace = 60;
  const rowHeight = 28;
  const barHeight = 18;
  const top = 24;
  const area = width - labelWidth - valueSpace;
  const max = niceMax(Math.max(0, ...items.map((i) => i.value)));
  return {
    width,
    height: top + items.length * rowHeight + 4,
    labelWidth,
    barHeight,
    rowHeight,
    ticks: [0, max / 2, max].map((value) => ({ value, at: labelWidth + (value / max) * area })),
    bars: items.map((item, i) => ({
      label: shorten(item.label, 30),
      title: item.label,
      value: item.value,
      color: item.color,
      faded: item.faded ?? false,
      y: top + i * rowHeight,
      width: (item.value / max) * area,
    })),
  };
}

export function columns(points: { day: string; value: number }[]): ColumnChart {
  const width = 720;
  const height = 240;
  const plot = { left: 48, top: 20, width: width - 48 - 12, height: height - 20 - 36, bottom: height - 36 };
  const max = niceMax(Math.max(0, ...points.map((p) => p.value)));
  const slot = plot.width / Math.max(1, points.length);
  const busiest = points.reduce((best, p, i) => (p.value > (points[best]?.value ?? 0) ? i : best), -1);
  return {
    width,
    height,
    plot,
    ticks: [0, max / 2, max].map((value) => ({ value, at: plot.bottom - (value / max) * plot.height })),
    total: points.reduce((sum, p) => sum + p.value, 0),
    columns: points.map((p, i) => {
      const h = (p.value / max) * plot.height;
      return {
        day: p.day,
        label: shortDay(p.day),
        value: p.value,
        x: plot.left + i * slot + slot * 0.15,
        y: plot.bottom - h,
        width: slot * 0.7,
        height: h,
        showValue: p.value > 0 && (i === busiest || i === points.length - 1),
        showDay: (points.length - 1 - i) % 7 === 0,
      };
    }),
  };
}
