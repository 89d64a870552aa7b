// "Cite this" panels on the reading page: show the copy buttons where a clipboard is available and
// copy the citation next to each; the button says "Copied" so keyboard and screen-reader users hear it.
document.querySelectorAll("button.copy-citation").forEach((button) => {
  if (!navigator.clipboard) return;
  button.hidden = false;
  const label = button.firstChild;
  button.addEventListener("click", async () => {
    const text = document.getElementById(button.dataset.copyFrom).textContent;
    try {
      await navigator.clipboard.writeText(text);
      label.textContent = "Copied";
    } catch (error) {
      label.textContent = "Select the text to copy it";
    }
    setTimeout(() => { label.textContent = "Copy"; }, 3000);
  });
});
