// Safety first: the patient's alerts and what the safety filter withheld, with one-click clearance where it is allowed.
import { formatDate } from "/clinician/api.js";
import { h } from "/clinician/dom.js";
import { LEVELS } from "/clinician/labels.js";

export function alertsSection(review, section) {
  const alerts = review.alerts ?? [];
  return section("alerts-title", "Alerts", alerts.length
    ? h("ul", { class: "alerts", "aria-labelledby": "alerts-title" }, alerts.map((a) => h("li", { class: `alert alert-${a.level}`, "data-feature": a.feature },
      h("span", { class: `level level-${a.level}` }, LEVELS[a.level] ?? a.level),
      h("span", { class: "alert-value" }, `${a.label} ${a.display}`),
      h("span", { class: "alert-date" }, `on ${a.dateText}`),
      h("span", { class: "alert-rule" }, `${a.threshold}: ${a.meaning}`),
      h("span", { class: "alert-source" }, `Source: ${a.source}`))))
    : h("p", { class: "muted" }, "No latest measurement reaches an alert threshold."));
}

export function withheldSection(review, nameOf, decide, section) {
  const withheld = review.withheld ?? [];
  const cleared = review.cleared ?? [];
  const items = withheld.map((w) => h("li", { class: `withheld withheld-${w.kind}`, "data-intervention": w.interventionId },
    h("div", { class: "suggestion-head" },
      h("h3", { id: `w-${w.interventionId}` }, w.name),
      h("span", { class: `badge ${w.clearable ? "badge-new" : "badge-stop"}` }, w.clearable ? "Needs clearance" : "Contraindicated")),
    h("p", { class: "withheld-reason" }, w.reason),
    w.clearable
      ? h("div", { class: "actions" }, h("button", { type: "button", class: "btn btn-secondary", "aria-describedby": `w-${w.interventionId}`,
        onclick: (e) => decide({ kind: "clear", interventionId: w.interventionId }, `Cleared ${w.name} for this patient.`, e.currentTarget) },
      "Clear for this patient"))
      : h("p", { class: "muted" }, w.clearance)));
  const clearedItems = cleared.map((c) => h("li", { "data-intervention": c.interventionId },
    h("span", { id: `c-${c.interventionId}` }, `${c.name} — ${c.how} on ${formatDate(c.at)}`), " ",
    h("button", { type: "button", class: "btn btn-quiet", "aria-describedby": `c-${c.interventionId}`,
      onclick: (e) => decide({ kind: "revoke-clearance", interventionId: c.interventionId }, `Revoked clearance of ${c.name}.`, e.currentTarget) },
    "Revoke clearance")));
  return section("withheld-title", "Withheld for safety",
    items.length ? h("ul", { class: "withheld-list", "aria-labelledby": "withheld-title" }, items)
      : h("p", { class: "muted" }, "Nothing is withheld for safety."),
    clearedItems.length > 0 && h("div", { class: "cleared-list" },
      h("h3", { id: "cleared-title" }, "Cleared for this patient"),
      h("ul", { class: "plain", "aria-labelledby": "cleared-title" }, clearedItems)));
}
