// The patient view, safety first: alerts, what was withheld and why, then suggestions with reasons and one-click actions,
// measurements with trends, and what the patient said.
import { api, announce, formatDate } from "/clinician/api.js";
import { h } from "/clinician/dom.js";
import { t } from "/clinician/i18n.js";
import { choiceLabel, decisionVerb, humanise, PATIENT_CHOICE } from "/clinician/labels.js";
import { measurementsSection } from "/clinician/measures.js";
import { alertsSection, withheldSection } from "/clinician/safety.js";

let lastMessage = null;

const section = (id, title, ...content) =>
  h("section", { class: "panel", "aria-labelledby": id }, h("h2", { id }, title), ...content);

export function renderPatient(view, review, series, catalog, { onChanged }) {
  const id = review.patient.id;
  const nameOf = (iid) => catalog.get(iid)?.name ?? iid;

  async function decide(body, message, button) {
    view.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    button?.setAttribute("aria-busy", "true");
    try {
      const saved = await api(`/patients/${encodeURIComponent(id)}/review-decisions`, { method: "POST", body: JSON.stringify(body) });
      // The answer says what the clinician must know: it cleared the item, the patient's own "not for me" stands, …
      const notices = (saved?.notices ?? []).map((n) => n.text);
      lastMessage = { patient: id, text: [`${message} Saved.`, ...notices].join(" "), kind: notices.length ? "warn" : "ok" };
    } catch (e) {
      lastMessage = { patient: id, text: `Not saved: ${e.message}`, kind: "error" };
    }
    announce(lastMessage.text);
    await onChanged();
    view.querySelector("#result")?.focus();
  }

  const p = review.patient;
  const obs = review.observations;
  const header = h("div", { class: "panel patient-head" },
    h("h1", { id: "patient-title", tabindex: "-1" }, `${t("Patient")} ${id}`),
    h("p", { class: "muted" }, [p.ageBand && `Age ${p.ageBand}`, p.sex, p.socioEconomicBand && `SES ${p.socioEconomicBand}`, p.language && `language ${p.language}`]
      .filter(Boolean).join(" · ")),
    h("p", { class: "muted" }, `Last sync: ${obs.lastSyncStatus}${obs.lastSyncAttemptAt ? ` on ${formatDate(obs.lastSyncAttemptAt)}` : ""}`,
      obs.lastSyncReason ? ` — ${obs.lastSyncReason}` : ""));
  const message = lastMessage?.patient === id ? lastMessage : null;
  lastMessage = null;
  const result = h("p", { id: "result", class: `result ${message?.kind ?? ""}`, tabindex: "-1", hidden: !message }, message?.text ?? "");

  view.replaceChildren(header, result,
    alertsSection(review, section),
    withheldSection(review, nameOf, decide, section),
    suggestionsSection(review, nameOf, decide),
    measurementsSection(obs.snapshot, series, section),
    addSection(review, catalog, decide),
    patientSaysSection(review, nameOf),
    decisionsSection(review, nameOf));
}

function suggestionsSection(review, nameOf, decide) {
  const s = review.suggestions;
  if (!s) return section("suggestions-title", t("Suggestions"), h("p", {}, "No model is loaded yet, so there are no suggestions."));
  const items = s.items.map((item) => h("li", { class: "suggestion", "data-intervention": item.interventionId },
    h("div", { class: "suggestion-head" },
      h("h3", { id: `s-${item.interventionId}` }, item.name),
      h("span", { class: "chip" }, humanise(item.category)),
      item.recommendedByCareTeam && h("span", { class: "badge badge-ok" }, t("Endorsed by care team")),
      item.addedByCareTeam && h("span", { class: "badge badge-ok" }, t("Added by care team"))),
    h("ul", { class: "reasons", "aria-label": `Why ${item.name} was suggested` },
      (item.clinicianReasons ?? item.reasons.filter((r) => r !== "Recommended by your care team.")).map((r) => h("li", {}, r))),
    h("div", { class: "actions" },
      item.recommendedByCareTeam
        ? h("span", { class: "done" }, "✓ Endorsed")
        : h("button", { type: "button", class: "btn btn-primary", "aria-describedby": `s-${item.interventionId}`,
          onclick: (e) => decide({ kind: "endorse", interventionId: item.interventionId }, `Endorsed ${item.name}.`, e.currentTarget) }, t("Endorse")),
      h("button", { type: "button", class: "btn btn-secondary", "aria-describedby": `s-${item.interventionId}`,
        onclick: (e) => decide({ kind: "hide", interventionId: item.interventionId }, `Hid ${item.name} for this patient.`, e.currentTarget) },
      t("Hide for this patient")))));

  const hidden = review.excluded.filter((x) => /hidden/i.test(x.reason));
  // The patient's own "not for me" / "not now" stands, even over the care team's endorsement.
  const declined = review.excluded.filter((x) => PATIENT_CHOICE[x.kind]);
  const endorsedAt = (iid) => review.decisions.find((d) => d.interventionId === iid && (d.kind === "endorse" || d.kind === "add"))?.at;
  return section("suggestions-title", t("Suggestions"),
    h("p", { class: "muted" }, `Model ${s.modelVersion}${s.personalised ? " · personalised" : " · not personalised (no consent)"}`),
    items.length ? h("ol", { class: "suggestions" }, items) : h("p", {}, t("No suggestions right now.")),
    hidden.length > 0 && h("div", { class: "hidden-list" },
      h("h3", { id: "hidden-title" }, t("Hidden for this patient")),
      h("ul", { "aria-labelledby": "hidden-title" }, hidden.map((x) => h("li", { "data-intervention": x.interventionId }, nameOf(x.interventionId))))),
    declined.length > 0 && h("div", { class: "hidden-list declined-list" },
      h("h3", { id: "declined-title" }, t("The patient's own choices")),
      h("ul", { "aria-labelledby": "declined-title" }, declined.map((x) => h("li", { "data-intervention": x.interventionId },
        `${nameOf(x.interventionId)}: patient said “${PATIENT_CHOICE[x.kind]}” on ${formatDate(x.since)}`,
        endorsedAt(x.interventionId) && h("strong", { class: "stands" },
          ` — endorsed by the care team on ${formatDate(endorsedAt(x.interventionId))}; the patient's choice stands and the endorsement does not override it.`))))));
}

// The add list names what is withheld, so a clinician knows before choosing (adding it still explains why).
function withheldNote(review, iid) {
  const w = (review.withheld ?? []).find((x) => x.interventionId === iid);
  return !w ? "" : w.clearable ? ` — ${t("Needs clearance").toLowerCase()}` : ` — ${t("Contraindicated").toLowerCase()}`;
}

function addSection(review, catalog, decide) {
  const shown = new Set((review.suggestions?.items ?? []).map((i) => i.interventionId));
  const options = [...catalog.values()].filter((i) => !shown.has(i.id)).sort((a, b) => a.name.localeCompare(b.name))
    .map((i) => h("option", { value: i.id }, `${i.name} (${humanise(i.category)})${withheldNote(review, i.id)}`));
  const select = h("select", { id: "add-intervention", name: "interventionId" }, options);
  const note = h("textarea", { id: "note", name: "note", rows: "3", maxlength: "2000" });
  return section("act-title", t("Add to the plan"),
    h("form", { class: "inline-form", onsubmit: (e) => {
      e.preventDefault();
      decide({ kind: "add", interventionId: select.value }, `Added ${catalog.get(select.value)?.name ?? select.value}.`, e.submitter);
    } },
    h("label", { for: "add-intervention" }, t("Intervention not suggested")), select,
    h("button", { type: "submit", class: "btn btn-primary" }, t("Add"))),
    h("form", { class: "inline-form", onsubmit: (e) => {
      e.preventDefault();
      if (!note.value.trim()) { note.focus(); return; }
      decide({ kind: "note", note: note.value.trim() }, "Note added.", e.submitter);
    } },
    h("label", { for: "note" }, t("Note for the care team")), note,
    h("button", { type: "submit", class: "btn btn-secondary" }, t("Add note"))));
}

function patientSaysSection(review, nameOf) {
  const pref = review.preferences;
  const rows = [
    ["Guidance", pref.guidance && humanise(pref.guidance)], ["Delivery", pref.delivery && humanise(pref.delivery)],
    ["Setting", pref.setting && humanise(pref.setting)],
    ["Maximum cost", pref.maxCostEuroCents != null ? `€${(pref.maxCostEuroCents / 100).toFixed(2)}` : null],
    ["Time per week", pref.minutesPerWeek != null ? `${pref.minutesPerWeek} min` : null],
    ["Goals", pref.goals?.length ? pref.goals.map(humanise).join(", ") : null], ["Only category", pref.onlyCategory && humanise(pref.onlyCategory)],
  ].filter(([, v]) => v);
  const pts = review.points;
  return section("patient-says-title", t("What the patient said and did"),
    h("div", { class: "columns" },
      h("div", {}, h("h3", {}, t("Preferences")), rows.length
        ? h("dl", { class: "facts" }, rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, String(v))]))
        : h("p", { class: "muted" }, t("No preferences given."))),
      h("div", {}, h("h3", {}, t("Choices")), review.choices.length
        ? h("ul", { class: "plain" }, review.choices.map((c) => h("li", {}, `${nameOf(c.interventionId)}: ${choiceLabel(c.kind)} · ${formatDate(c.at)}`)))
        : h("p", { class: "muted" }, t("No choices yet."))),
      h("div", {}, h("h3", {}, t("Points")),
        h("dl", { class: "facts" }, h("dt", {}, t("Balance")), h("dd", {}, String(pts.balance)), h("dt", {}, t("Pending")), h("dd", {}, String(pts.pending)),
          h("dt", {}, t("Expiring soon")), h("dd", {}, String(pts.expiringSoon))))));
}

function decisionsSection(review, nameOf) {
  return section("decisions-title", t("Care team decisions"), review.decisions.length
    ? h("ul", { class: "plain decisions" }, review.decisions.map((d) => h("li", {},
      h("strong", {}, decisionVerb(d.kind)), " ", d.interventionId ? nameOf(d.interventionId) : "", d.note ? `“${d.note}”` : "",
      h("span", { class: "muted" }, ` — ${d.clinicianId}, ${formatDate(d.at)}${d.source === "cds-hooks" ? ", from the EHR" : ""}`))))
    : h("p", { class: "muted" }, t("No decisions yet.")));
}

export function renderForbidden(view, id) {
  view.replaceChildren(h("div", { class: "panel notice", role: "alert" },
    h("h1", { tabindex: "-1" }, "Not on your care team"),
    h("p", {}, `Patient ${id} is not on your care team, so their record is not shown. If you should be on their team, ask the administrator to add you.`)));
}

export function renderProblem(view, id, error) {
  view.replaceChildren(h("div", { class: "panel notice", role: "alert" },
    h("h1", { tabindex: "-1" }, error.status === 404 ? "Patient not found" : "Could not load this patient"),
    h("p", {}, `${id}: ${error.message}`)));
}
