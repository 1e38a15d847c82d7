// Clinician-voice labels for the API's codes: no enum name reaches the screen as it is ("InPerson" -> "in person").
export const humanise = (name) => {
  const text = String(name).replace(/([a-z])([A-Z])/g, (_, a, b) => `${a} ${b.toLowerCase()}`).replace(/-/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
};

export const LEVELS = { critical: "Critical", warning: "Warning", info: "Info" };

const CHOICES = { "not-for-me": "Not for me", "not-now": "Not now", enrol: "Enrolled" };
export const choiceLabel = (kind) => CHOICES[kind] ?? humanise(kind);

const VERBS = { endorse: "Endorsed", hide: "Hid", add: "Added", clear: "Cleared", "revoke-clearance": "Revoked clearance of", note: "Note" };
export const decisionVerb = (kind) => VERBS[kind] ?? humanise(kind);

// The review's excluded[].kind for the patient's own choices.
export const PATIENT_CHOICE = { NotForMe: "not for me", NotNow: "not now", AlreadyEnrolled: "enrolled" };
