// Safety first: the patient's alerts and what the safety filter withheld, with one-click clearance where it is allowed.
import { formatDate } from "/clinician/api.js";
import { h } from "/clinician/dom.js";
import { t } from "/clinician/i18n.js";
import { LEVELS } from "/clinician/labels.js";

export function alertsSection(review, section) {
  const alerts = review.alerts ?? [];
  return section("alerts-title", t("Alerts"), alerts.length
    ? h("ul", { class: "alerts", "aria-labelledby": "alerts-title" }, alerts.map((a) => h("li", { class: `alert alert-${a.level}`, "data-feature": a.feature },
      h("span", { class: `level level-${a.level}` }, t(LEVELS[a.level] ?? a.level)),
      h("span", { class: "alert-value" }, `${a.label} ${a.display}`),
      h("span", { class: "alert-date" }, `on ${a.dateText}`),
      h("span", { class: "alert-rule" }, `${a.threshold}: ${a.meaning}`),
      h("span", { class: "alert-source" }, `Source: ${a.source}`))))
    : h("p", { class: "muted" }, t("No latest measurement reaches an alert threshold.")));
}

export function withheldSection(review, nameOf, decide, section) {
  const withheld = review.withheld ?? [];
  const cleared = review.cleared ?? [];
  const clearButton = (w) => h("button", { type: "button", class: "btn btn-secondary", "aria-describedby": `w-${w.interventionId}`,
    onclick: (e) => decide({ kind: "clear", interventionId: w.interventionId }, `Cleared ${w.name} for this patient.`, e.currentTarget) },
  t("Clear for this patient"));
  // Contraindicated items carry their own reason; those awaiting clearance share one and stay one line each.
  const items = withheld.map((w) => w.clearable
    ? h("li", { class: "withheld withheld-needs-clearance", "data-intervention": w.interventionId },
      h("span", { id: `w-${w.interventionId}`, class: "withheld-name" }, w.name), " ",
      h("span", { class: "badge badge-new" }, t("Needs clearance")), " ", clearButton(w))
    : h("li", { class: "withheld withheld-contraindicated", "data-intervention": w.interventionId },
      h("div", { class: "suggestion-head" },
        h("h3", { id: `w-${w.interventionId}` }, w.name),
        h("span", { class: "badge badge-stop" }, t("Contraindicated"))),
      h("p", { class: "withheld-reason" }, w.reason),
      h("p", { class: "muted" }, w.clearance)));
  const clearable = withheld.find((w) => w.clearable);
  const clearedItems = cleared.map((c) => h("li", { "data-intervention": c.interventionId },
    h("span", { id: `c-${c.interventionId}` }, `${c.name} — ${c.how} on ${formatDate(c.at)}`), " ",
    h("button", { type: "button", class: "btn btn-quiet", "aria-describedby": `c-${c.interventionId}`,
      onclick: (e) => decide({ kind: "revoke-clearance", interventionId: c.interventionId }, `Revoked clearance of ${c.name}.`, e.currentTarget) },
    t("Revoke clearance"))));
  return section("withheld-title", t("Withheld for safety"),
    items.length ? h("ul", { class: "withheld-list", "aria-labelledby": "withheld-title" }, items)
      : h("p", { class: "muted" }, t("Nothing is withheld for safety.")),
    clearable && h("p", { class: "muted" }, `Needs clearance: ${clearable.reason} ${clearable.clearance}`),
    clearedItems.length > 0 && h("div", { class: "cleared-list" },
      h("h3", { id: "cleared-title" }, t("Cleared for this patient")),
      h("ul", { class: "plain", "aria-labelledby": "cleared-title" }, clearedItems)));
}
