// Small inline SVG trend charts; each carries a text summary so a screen reader hears the trend, not the drawing.
import { formatDate } from "/clinician/api.js";

const SVG = "http://www.w3.org/2000/svg";
const W = 240, H = 64, PAD = 6;

function el(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/**
 * lines: [{ points: [{at, value}], className, name }]; target: optional { value, label } drawn as a dashed line.
 * Returns a <figure> with the chart and a caption, or null when there is nothing to draw.
 */
export function trendChart({ title, unit, lines, targets = [], decimals = 0 }) {
  const all = lines.flatMap((l) => l.points);
  if (all.length < 2) return null;
  const times = all.map((p) => Date.parse(p.at));
  const values = [...all.map((p) => Number(p.value)), ...targets.map((t) => t.value)];
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  let [v0, v1] = [Math.min(...values), Math.max(...values)];
  if (v0 === v1) { v0 -= 1; v1 += 1; }
  const x = (t) => PAD + ((t - t0) / Math.max(1, t1 - t0)) * (W - 2 * PAD);
  const y = (v) => H - PAD - ((v - v0) / (v1 - v0)) * (H - 2 * PAD);

  const summary = lines.map((l) => {
    const first = l.points[0], last = l.points[l.points.length - 1];
    return `${l.name}: ${l.points.length} readings from ${formatDate(first.at)} to ${formatDate(last.at)}, ` +
      `${Number(first.value).toFixed(decimals)} to ${Number(last.value).toFixed(decimals)} ${unit}`;
  }).join("; ");

  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": `${title}. ${summary}.` });
  const t = el("title", {});
  t.textContent = `${title}. ${summary}.`;
  svg.append(t);
  for (const target of targets) {
    svg.append(el("line", { x1: PAD, x2: W - PAD, y1: y(target.value), y2: y(target.value), class: "chart-target" }));
  }
  for (const line of lines) {
    const pts = line.points.map((p) => `${x(Date.parse(p.at)).toFixed(1)},${y(Number(p.value)).toFixed(1)}`).join(" ");
    svg.append(el("polyline", { points: pts, class: `chart-line ${line.className}` }));
    const last = line.points[line.points.length - 1];
    svg.append(el("circle", { cx: x(Date.parse(last.at)), cy: y(Number(last.value)), r: 3, class: `chart-dot ${line.className}` }));
  }

  const figure = document.createElement("figure");
  figure.className = "trend";
  const caption = document.createElement("figcaption");
  const first = all.reduce((a, b) => (Date.parse(a.at) < Date.parse(b.at) ? a : b));
  caption.textContent = `${title} · ${formatDate(first.at)} – ${formatDate(new Date(t1).toISOString())}` +
    (targets.length ? ` · dashed: ${targets.map((tg) => tg.label).filter(Boolean).join(", ")}` : "");
  figure.append(svg, caption);
  return figure;
}
