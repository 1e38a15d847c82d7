// Small inline SVG trend charts a clinician can read: a value axis with units, the first and last dates, the target band, the
// latest value labelled, an honest scale (a small change looks small), and a table a screen reader can read instead.
import { formatDate } from "/clinician/api.js";
import { h } from "/clinician/dom.js";

const SVG = "http://www.w3.org/2000/svg";
const W = 320, H = 150, LEFT = 44, RIGHT = 40, TOP = 8, BOTTOM = 20;
// The value axis spans at least half of the largest value, so 6,600 -> 7,800 steps is a gentle slope, not a cliff.
const MIN_SPAN_SHARE = 0.5;

function el(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

const fmt = (value, decimals) => Number(value).toLocaleString("en-GB", { maximumFractionDigits: decimals, minimumFractionDigits: decimals });

function domain(values, bands) {
  const edges = [...values, ...bands.flatMap((b) => [b.from, b.to].filter((v) => v != null))];
  let [v0, v1] = [Math.min(...edges), Math.max(...edges)];
  const minSpan = MIN_SPAN_SHARE * Math.max(...edges.map(Math.abs), 1);
  if (v1 - v0 < minSpan) {
    const mid = (v0 + v1) / 2;
    [v0, v1] = [mid - minSpan / 2, mid + minSpan / 2];
    if (v0 < 0 && Math.min(...values) >= 0) [v0, v1] = [0, minSpan];
  }
  const pad = (v1 - v0) * 0.08;
  return [v0 - pad, v1 + pad];
}

/**
 * lines: [{ points: [{at, value}], className, name }]; bands: [{ from, to, label }] drawn as the target area (from/to may be
 * null for "below"/"above"). Returns a <figure> with the chart, a caption and a table, or null when there is nothing to draw.
 */
export function trendChart({ title, unit, lines, bands = [], decimals = 0, legend = "" }) {
  lines = lines.filter((l) => l.points.length > 1);
  const all = lines.flatMap((l) => l.points);
  if (all.length < 2) return null;
  const times = all.map((p) => Date.parse(p.at));
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const [v0, v1] = domain(all.map((p) => Number(p.value)), bands);
  const x = (t) => LEFT + ((t - t0) / Math.max(1, t1 - t0)) * (W - LEFT - RIGHT);
  const y = (v) => TOP + (1 - (v - v0) / (v1 - v0)) * (H - TOP - BOTTOM);

  const summary = lines.map((l) => {
    const first = l.points[0], last = l.points[l.points.length - 1];
    return `${l.name}: ${l.points.length} readings from ${formatDate(first.at)} to ${formatDate(last.at)}, ` +
      `${fmt(first.value, decimals)} to ${fmt(last.value, decimals)} ${unit}`;
  }).join("; ");
  const label = `${title}. ${summary}.${bands.length ? ` Target: ${bands.map((b) => b.label).join(", ")}.` : ""}`;

  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": label });
  svg.append(el("title", {}, label));
  for (const band of bands) {
    const top = y(Math.min(band.to ?? v1, v1)), bottom = y(Math.max(band.from ?? v0, v0));
    svg.append(el("rect", { x: LEFT, width: W - LEFT - RIGHT, y: top, height: Math.max(0, bottom - top), class: "chart-band" }));
  }
  // Value axis: bottom, middle and top of the scale, with the unit.
  svg.append(el("line", { x1: LEFT, x2: LEFT, y1: TOP, y2: H - BOTTOM, class: "chart-axis" }));
  for (const v of [v0, (v0 + v1) / 2, v1]) {
    svg.append(el("line", { x1: LEFT - 3, x2: W - RIGHT, y1: y(v), y2: y(v), class: "chart-grid" }));
    svg.append(el("text", { x: LEFT - 5, y: y(v) + 4, "text-anchor": "end", class: "chart-tick" }, fmt(v, decimals)));
  }
  svg.append(el("text", { x: 2, y: TOP + 2, "dominant-baseline": "hanging", class: "chart-unit" }, unit));
  // Time axis: the first and the last date.
  svg.append(el("line", { x1: LEFT, x2: W - RIGHT, y1: H - BOTTOM, y2: H - BOTTOM, class: "chart-axis" }));
  svg.append(el("text", { x: LEFT, y: H - 5, "text-anchor": "start", class: "chart-tick chart-date" }, formatDate(new Date(t0).toISOString())));
  svg.append(el("text", { x: W - RIGHT, y: H - 5, "text-anchor": "end", class: "chart-tick chart-date" }, formatDate(new Date(t1).toISOString())));

  for (const line of lines) {
    const pts = line.points.map((p) => `${x(Date.parse(p.at)).toFixed(1)},${y(Number(p.value)).toFixed(1)}`).join(" ");
    svg.append(el("polyline", { points: pts, class: `chart-line ${line.className}` }));
    const last = line.points[line.points.length - 1];
    const [cx, cy] = [x(Date.parse(last.at)), y(Number(last.value))];
    svg.append(el("circle", { cx, cy, r: 3, class: `chart-dot ${line.className}` }));
    svg.append(el("text", { x: cx + 5, y: cy + 4, class: `chart-latest ${line.className}` }, fmt(last.value, decimals)));
  }

  // In a wrapper: a table is never narrower than its content, so it cannot be the 1-px box itself.
  const table = h("div", { class: "visually-hidden" }, h("table", {},
    h("caption", {}, `${title} readings`),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Date"), lines.map((l) => h("th", { scope: "col" }, `${l.name} (${unit})`)))),
    h("tbody", {}, [...new Set(all.map((p) => p.at))].sort().map((at) => h("tr", {},
      h("th", { scope: "row" }, formatDate(at)),
      lines.map((l) => h("td", {}, l.points.find((p) => p.at === at) ? fmt(l.points.find((p) => p.at === at).value, decimals) : "—")))))));

  return h("figure", { class: "trend" }, svg,
    h("figcaption", {}, `${title} (${unit})${legend ? ` · ${legend}` : ""}${bands.length ? ` · shaded: ${bands.map((b) => b.label).join(", ")}` : ""}`),
    table);
}
