// Exercise checks in the static book: each form carries its question's spec (made by
// buber_course.feedback.Quiz, which also holds every message) and is checked here, with no kernel.
const normalize = (text) =>
  text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();

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

document.querySelectorAll("form.quiz").forEach((form) => {
  const spec = JSON.parse(form.dataset.spec);
  const output = form.querySelector(".feedback");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const field = spec.kind === "choice" ? form.querySelector("input:checked") : form.querySelector("input");
    const result = verdict(spec, field ? field.value : "");
    output.textContent = spec[result];
    output.className = `feedback feedback-${result}`;
  });
});
