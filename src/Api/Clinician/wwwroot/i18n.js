// Dutch and English labels for the page (the browser's language, or the switch in the header). The service's own texts —
// reasons, thresholds, sources — are English for now.
const NL = {
  "Alerts": "Meldingen", "No latest measurement reaches an alert threshold.": "Geen laatste meting bereikt een meldingsgrens.",
  "Critical": "Kritiek", "Warning": "Waarschuwing", "Info": "Info",
  "Withheld for safety": "Achtergehouden voor de veiligheid", "Nothing is withheld for safety.": "Niets achtergehouden voor de veiligheid.",
  "Clear for this patient": "Vrijgeven voor deze patiënt", "Needs clearance": "Vrijgave nodig", "Contraindicated": "Gecontra-indiceerd",
  "Revoke clearance": "Vrijgave intrekken", "Cleared for this patient": "Vrijgegeven voor deze patiënt",
  "Suggestions": "Suggesties", "Endorsed by care team": "Aanbevolen door zorgteam", "Added by care team": "Toegevoegd door zorgteam",
  "Endorse": "Aanbevelen", "Hide for this patient": "Verbergen voor deze patiënt", "No suggestions right now.": "Nu geen suggesties.",
  "Hidden for this patient": "Verborgen voor deze patiënt", "The patient's own choices": "Keuzes van de patiënt zelf",
  "Add to the plan": "Toevoegen aan het plan", "Intervention not suggested": "Interventie die niet is voorgesteld", "Add": "Toevoegen",
  "Note for the care team": "Notitie voor het zorgteam", "Add note": "Notitie toevoegen",
  "What the patient said and did": "Wat de patiënt zei en deed", "Preferences": "Voorkeuren", "Choices": "Keuzes", "Points": "Punten",
  "Balance": "Saldo", "Pending": "In afwachting", "Expiring soon": "Verloopt binnenkort", "No preferences given.": "Geen voorkeuren opgegeven.",
  "No choices yet.": "Nog geen keuzes.", "Care team decisions": "Besluiten van het zorgteam", "No decisions yet.": "Nog geen besluiten.",
  "Measurements": "Metingen", "Trends": "Verloop", "Patient": "Patiënt",
  "My patients": "Mijn patiënten", "Find patient": "Patiënt zoeken", "Show": "Toon", "All patients": "Alle patiënten",
  "Critical alerts": "Kritieke meldingen", "Critical and warning alerts": "Kritieke meldingen en waarschuwingen",
  "Sign out": "Afmelden", "Choose a patient": "Kies een patiënt",
};

const KEY = "benefit.clinician.lang";

export function language() {
  return sessionStorage.getItem(KEY) ?? (navigator.language?.toLowerCase().startsWith("nl") ? "nl" : "en");
}

export function setLanguage(lang) {
  sessionStorage.setItem(KEY, lang);
}

export const t = (text) => (language() === "nl" ? NL[text] ?? text : text);

/** Static labels in index.html carry data-i18n with their English text. */
export function translatePage() {
  document.documentElement.lang = language();
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  const toggle = document.getElementById("language");
  toggle.textContent = language() === "nl" ? "English" : "Nederlands";
  toggle.lang = language() === "nl" ? "en" : "nl";
}
