// The review page: sign-in with a pasted bearer token, the caseload, and routing by #patient=<id>.
import { api, interventions, formatDate, TOKEN_KEY } from "/clinician/api.js";
import { language, setLanguage, t, translatePage } from "/clinician/i18n.js";
import { LEVELS } from "/clinician/labels.js";
import { renderPatient, renderForbidden, renderProblem } from "/clinician/views.js";

const $ = (id) => document.getElementById(id);

function tokenName(token) {
  try {
    const payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return payload.unique_name || payload.name || payload.sub || "clinician";
  } catch {
    return null;
  }
}

function showSignIn(message) {
  $("who").hidden = true;
  $("workspace").hidden = true;
  $("sign-in").hidden = false;
  $("token-error").textContent = message || "";
  $("token").focus();
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  showSignIn(message);
}

async function start({ afterSignIn = false } = {}) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return showSignIn();
  $("sign-in").hidden = true;
  $("who").hidden = false;
  $("who-name").textContent = tokenName(token);
  $("workspace").hidden = false;
  // The sign-in form just disappeared; put keyboard and screen-reader focus somewhere meaningful.
  if (afterSignIn) $("caseload-title").focus();
  await Promise.all([loadCaseload(), route()]);
}

async function loadCaseload() {
  const list = $("caseload");
  $("caseload-status").textContent = "Loading…";
  try {
    const patients = await api("/clinicians/me/caseload");
    list.replaceChildren(...patients.map(caseloadItem));
    $("caseload-status").textContent = patients.length === 0 ? "No patients on your care team yet." : `${patients.length} patients`;
    filterCaseload();
    markCurrent();
  } catch (e) {
    if (e.status !== 401) $("caseload-status").textContent = `Could not load your patients: ${e.message}`;
  }
}

// The caseload arrives most urgent first; the filter only hides rows, so the triage order stays.
const URGENCY = { critical: 3, warning: 2, info: 1 };
function filterCaseload() {
  const text = $("caseload-search").value.trim().toLowerCase();
  const level = $("caseload-level").value;
  const rows = [...$("caseload").children];
  rows.forEach((li) => {
    const matches = li.dataset.patient.toLowerCase().includes(text) && (!level || (URGENCY[li.dataset.alert] ?? 0) >= URGENCY[level]);
    li.hidden = !matches;
  });
  const shown = rows.filter((li) => !li.hidden).length;
  if (text || level) $("caseload-status").textContent = `${shown} of ${rows.length} patients`;
  else if (rows.length) $("caseload-status").textContent = `${rows.length} patients`;
}

function caseloadItem(p) {
  const li = document.createElement("li");
  li.dataset.patient = p.id;
  li.dataset.alert = p.highestAlert ?? "";
  const a = document.createElement("a");
  a.href = `#patient=${encodeURIComponent(p.id)}`;
  a.className = "caseload-link";
  a.dataset.patient = p.id;
  const name = document.createElement("span");
  name.className = "caseload-name";
  name.textContent = p.id;
  const meta = document.createElement("span");
  meta.className = "caseload-meta";
  meta.textContent = `Measured ${formatDate(p.lastMeasurementAt)}`;
  const sync = document.createElement("span");
  sync.className = `caseload-meta${p.lastSyncStatus === "complete" ? "" : " caseload-warn"}`;
  sync.textContent = `Sync ${p.lastSyncStatus.replace(/-/g, " ")}`;
  a.append(name);
  if (p.highestAlert && p.topAlert) {
    const alert = document.createElement("span");
    alert.className = `caseload-meta caseload-alert level-${p.highestAlert}`;
    alert.textContent = `${t(LEVELS[p.highestAlert] ?? p.highestAlert)} · ${p.topAlert.label} ${p.topAlert.display}`;
    a.append(alert);
  }
  a.append(meta, sync);
  if (p.openSuggestions > 0) {
    const badge = document.createElement("span");
    badge.className = "badge badge-new";
    badge.textContent = `${p.openSuggestions} new`;
    badge.title = `${p.openSuggestions} suggestions not reviewed yet`;
    a.append(badge);
  }
  li.append(a);
  return li;
}

function currentPatient() {
  const match = /(?:^|&)patient=([^&]+)/.exec(location.hash.slice(1));
  return match ? decodeURIComponent(match[1]) : null;
}

function markCurrent() {
  const id = currentPatient();
  document.querySelectorAll(".caseload-link").forEach((a) => {
    if (a.dataset.patient === id) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
}

async function route({ keepFocus = false } = {}) {
  const id = currentPatient();
  markCurrent();
  const view = $("patient-view");
  $("patient-empty").hidden = id !== null;
  view.hidden = id === null;
  if (id === null) return;
  $("patient").setAttribute("aria-busy", "true");
  try {
    const [review, series, catalog] = await Promise.all([
      api(`/patients/${encodeURIComponent(id)}/review`),
      api(`/patients/${encodeURIComponent(id)}/series`),
      interventions(),
    ]);
    renderPatient(view, review, series, catalog, { onChanged: () => Promise.all([route({ keepFocus: true }), loadCaseload()]) });
  } catch (e) {
    if (e.status === 403) renderForbidden(view, id);
    else if (e.status !== 401) renderProblem(view, id, e);
  } finally {
    $("patient").setAttribute("aria-busy", "false");
  }
  if (!keepFocus) view.querySelector("h1")?.focus();
}

$("sign-in-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const token = $("token").value.trim().replace(/^Bearer\s+/i, "");
  if (token.split(".").length !== 3 || tokenName(token) === null) {
    $("token-error").textContent = "That does not look like an access token (three parts separated by dots).";
    $("token").setAttribute("aria-invalid", "true");
    return;
  }
  $("token").removeAttribute("aria-invalid");
  $("token").value = "";
  sessionStorage.setItem(TOKEN_KEY, token);
  start({ afterSignIn: true });
});
$("sign-out").addEventListener("click", () => signOut("You are signed out."));
$("language").addEventListener("click", () => {
  setLanguage(language() === "nl" ? "en" : "nl");
  translatePage();
  if (sessionStorage.getItem(TOKEN_KEY)) Promise.all([loadCaseload(), route({ keepFocus: true })]);
});
$("caseload-search").addEventListener("input", filterCaseload);
$("caseload-level").addEventListener("change", filterCaseload);
$("caseload-filter").addEventListener("submit", (event) => event.preventDefault());
window.addEventListener("hashchange", () => route());
window.addEventListener("benefit:unauthorized", () => signOut("Your sign-in was not accepted or has expired. Please paste a new token."));

translatePage();
start();
