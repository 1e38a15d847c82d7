// Talks to the JSON API with the signed-in clinician's bearer token; errors arrive as Problem Details.
export const TOKEN_KEY = "benefit.clinician.token";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export async function api(path, options = {}) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const response = await fetch(path, {
    ...options,
    headers: { Accept: "application/json", Authorization: `Bearer ${token}`, ...(options.body ? { "Content-Type": "application/json" } : {}) },
  });
  if (response.status === 401) {
    window.dispatchEvent(new Event("benefit:unauthorized"));
    throw new ApiError(401, null);
  }
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

export function announce(text) {
  const el = document.getElementById("announcer");
  el.textContent = "";
  // A fresh text node after clearing makes screen readers announce repeated messages too.
  requestAnimationFrame(() => { el.textContent = text; });
}

const catalogue = new Map();
export async function interventions() {
  if (catalogue.size > 0) return catalogue;
  for (let page = 1; ; page++) {
    const result = await api(`/interventions?page=${page}&pageSize=100`);
    result.items.forEach((i) => catalogue.set(i.id, i));
    if (catalogue.size >= result.total || result.items.length === 0) return catalogue;
  }
}

export function formatDate(value) {
  if (!value) return "—";
  return new Date(value).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" });
}
