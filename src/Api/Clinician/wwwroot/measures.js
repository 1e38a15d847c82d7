// Latest measurements with their dates, and trend charts for blood pressure, weight and steps.
import { formatDate } from "/clinician/api.js";
import { trendChart } from "/clinician/charts.js";
import { h } from "/clinician/dom.js";

const FEATURES = [
  ["resting-heart-rate", "Resting heart rate", 0], ["body-weight", "Weight", 1], ["bmi", "BMI", 1],
  ["waist-circumference", "Waist", 0], ["ldl-cholesterol", "LDL cholesterol", 1], ["hba1c", "HbA1c", 1],
  ["steps", "Steps a day", 0], ["exercise", "Exercise", 0], ["phq9", "PHQ-9 (mood)", 0], ["gad7", "GAD-7 (anxiety)", 0],
  ["stress", "Stress", 0], ["audit-c", "AUDIT-C (alcohol)", 0],
];

const UNITS = { "mm[Hg]": "mmHg", "/min": "/min", "kg/m2": "kg/m²", "/d": "/day", "min/wk": "min/week", "{score}": "" };

function tile(label, value, unit, date, extra) {
  return h("li", { class: "tile" },
    h("span", { class: "tile-label" }, label),
    h("span", { class: "tile-value" }, value, unit && h("span", { class: "tile-unit" }, ` ${unit}`)),
    h("span", { class: "tile-date" }, `on ${formatDate(date)}`),
    extra && h("span", { class: "tile-extra" }, extra));
}

function format(value, decimals) {
  return Number(value).toLocaleString("en-GB", { maximumFractionDigits: decimals, minimumFractionDigits: decimals });
}

export function measurementsSection(snapshot, series, section) {
  if (!snapshot) return section("measurements-title", "Measurements", h("p", {}, "No measurements have been read for this patient yet."));
  const f = snapshot.features;
  const tiles = [];
  if (f["systolic-bp"]) {
    const dia = f["diastolic-bp"]?.value;
    tiles.push(tile("Blood pressure", `${format(f["systolic-bp"].value, 0)}${dia != null ? `/${format(dia, 0)}` : ""}`, "mmHg", f["systolic-bp"].effective));
  }
  if (f["smoking-status"]) tiles.push(tile("Smoking", f["smoking-status"].category ?? "recorded", null, f["smoking-status"].effective));
  for (const [key, label, decimals] of FEATURES) {
    const v = f[key];
    if (!v || v.value == null) continue;
    const unit = UNITS[v.unit] ?? v.unit ?? "";
    tiles.push(tile(label, format(v.value, decimals), unit, v.effective,
      v.category ? v.category : v.derived ? "calculated" : null));
  }

  const charts = [
    trendChart({
      title: "Blood pressure", unit: "mmHg", targets: [{ value: 140, label: "140/90 target" }, { value: 90, label: "" }],
      lines: [
        { name: "Systolic", className: "line-a", points: series["systolic-bp"] ?? [] },
        { name: "Diastolic", className: "line-b", points: series["diastolic-bp"] ?? [] },
      ].filter((l) => l.points.length > 1),
    }),
    trendChart({ title: "Weight", unit: "kg", decimals: 1, lines: [{ name: "Weight", className: "line-a", points: series["body-weight"] ?? [] }] }),
    trendChart({ title: "Steps a day", unit: "steps", lines: [{ name: "Steps", className: "line-a", points: series["steps"] ?? [] }] }),
  ].filter(Boolean);

  return section("measurements-title", "Measurements",
    h("ul", { class: "tiles", "aria-label": "Latest measurements" }, tiles),
    charts.length
      ? h("div", { class: "trends" }, h("h3", {}, "Trends"), h("div", { class: "trend-grid" }, charts))
      : h("p", { class: "muted" }, "Not enough readings for trend charts yet."));
}
