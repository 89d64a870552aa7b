// Exercise checks in the static book: each form carries its question's spec (made by
// buber_course.feedback.Quiz, which also holds every message) and is checked here, with no kernel.
// Answers (and the text of open questions) are kept in this browser's local storage, per page.
// The rule of buber_course.feedback.normalize (both are tested against tests/normalization-cases.json).
const normalize = (text) =>
  text.normalize("NFKD").toLowerCase().replace(/\p{Mn}/gu, "").replace(/ß/g, "ss")
    .replace(/[^\p{L}\p{N}]+/gu, " ").trim();

function verdict(spec, raw) {
  const answer = (raw ?? "").trim();
  if (answer === "" || answer === "...") return "blank";
  if (spec.kind === "number" || spec.kind === "year") {
    const value = Number(answer.replace(",", "."));
    if (!Number.isFinite(value) || (spec.kind === "year" && !Number.isInteger(value))) return "invalid";
    return Math.abs(value - Number(spec.answer)) <= Number(spec.tolerance || 0) ? "right" : "wrong";
  }
  if (spec.kind === "choice") return answer === spec.answer ? "right" : "wrong";
  return spec.answer.includes(normalize(answer)) ? "right" : "wrong";
}

const storageKey = `buber-course:answers:${location.pathname}`;
const stored = () => {
  try { return JSON.parse(localStorage.getItem(storageKey)) || {}; } catch { return {}; }
};
const store = (answers) => {
  try { localStorage.setItem(storageKey, JSON.stringify(answers)); } catch { /* storage off: nothing kept */ }
};
const remember = (question, value) => store({ ...stored(), [question]: value });

function valueOf(form, spec) {
  const field = spec.kind === "choice" ? form.querySelector("input:checked") : form.querySelector("input");
  return field ? field.value : "";
}

function restore(form, spec, value) {
  if (spec.kind === "choice") {
    const option = [...form.querySelectorAll("input[type=radio]")].find((input) => input.value === value);
    if (option) option.checked = true;
  } else {
    form.querySelector("input").value = value;
  }
}

const saved = stored();
document.querySelectorAll("form.quiz").forEach((form) => {
  const spec = JSON.parse(form.dataset.spec);
  const question = form.dataset.question;
  const output = form.querySelector(".feedback");
  const show = () => {
    const result = verdict(spec, valueOf(form, spec));
    output.textContent = spec[result];
    output.className = `feedback feedback-${result}`;
  };
  if (saved[question]) { restore(form, spec, saved[question]); show(); }
  form.addEventListener("input", () => remember(question, valueOf(form, spec)));
  form.addEventListener("submit", (event) => { event.preventDefault(); remember(question, valueOf(form, spec)); show(); });
});

document.querySelectorAll("form.quiz-open").forEach((form) => {
  const box = form.querySelector("textarea");
  box.value = saved[form.dataset.question] || "";
  box.addEventListener("input", () => remember(form.dataset.question, box.value));
  form.addEventListener("submit", (event) => event.preventDefault());
});

document.querySelectorAll("button.quiz-clear").forEach((button) => {
  button.addEventListener("click", () => {
    try { localStorage.removeItem(storageKey); } catch { /* nothing kept */ }
    document.querySelectorAll("form.quiz, form.quiz-open").forEach((form) => form.reset());
    document.querySelectorAll("form.quiz .feedback").forEach((output) => { output.textContent = ""; output.className = "feedback"; });
  });
});
