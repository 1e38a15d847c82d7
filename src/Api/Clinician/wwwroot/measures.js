// Latest measurements with their dates, and a trend chart for every measured series with two or more readings.
import { formatDate } from "/clinician/api.js";
import { trendChart } from "/clinician/charts.js";
import { h } from "/clinician/dom.js";
import { t } from "/clinician/i18n.js";

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
  if (!snapshot) return section("measurements-title", t("Measurements"), h("p", {}, "No measurements have been read for this patient yet."));
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

  // Every measured series with two or more readings; bands are the targets the reasons and alerts use (data/clinical-thresholds.json).
  const one = (key, title, unit, decimals = 0, bands = []) =>
    trendChart({ title, unit, decimals, bands, lines: [{ name: title, className: "line-a", points: series[key] ?? [] }] });
  const charts = [
    trendChart({
      title: "Blood pressure", unit: "mmHg", legend: "systolic blue (upper), diastolic orange (lower)",
      bands: [{ from: null, to: 140, label: "systolic < 140" }, { from: null, to: 90, label: "diastolic < 90" }],
      lines: [
        { name: "Systolic", className: "line-a", points: series["systolic-bp"] ?? [] },
        { name: "Diastolic", className: "line-b", points: series["diastolic-bp"] ?? [] },
      ],
    }),
    one("steps", "Steps a day", "steps/day", 0, [{ from: 7000, to: null, label: "≥ 7,000 a day" }]),
    one("body-weight", "Weight", "kg", 1),
    one("bmi", "BMI", "kg/m²", 1, [{ from: null, to: 25, label: "< 25" }]),
    one("waist-circumference", "Waist", "cm"),
    one("ldl-cholesterol", "LDL cholesterol", "mmol/L", 1, [{ from: null, to: 1.8, label: "< 1.8 mmol/L" }]),
    one("hba1c", "HbA1c", "%", 1, [{ from: null, to: 7, label: "< 7.0 % (53 mmol/mol)" }]),
    one("resting-heart-rate", "Resting heart rate", "/min"),
    one("exercise", "Exercise", "min/week", 0, [{ from: 150, to: null, label: "≥ 150 min/week" }]),
    one("phq9", "PHQ-9 (mood)", "score", 0, [{ from: null, to: 9, label: "< 10" }]),
    one("gad7", "GAD-7 (anxiety)", "score", 0, [{ from: null, to: 9, label: "< 10" }]),
    one("stress", "Stress", "score 0–10"),
    one("audit-c", "AUDIT-C (alcohol)", "score", 0, [{ from: null, to: 4, label: "< 5" }]),
  ].filter(Boolean);

  return section("measurements-title", t("Measurements"),
    h("ul", { class: "tiles", "aria-label": "Latest measurements" }, tiles),
    charts.length
      ? h("div", { class: "trends" }, h("h3", {}, t("Trends")), h("div", { class: "trend-grid" }, charts))
      : h("p", { class: "muted" }, "Not enough readings for trend charts yet."));
}
