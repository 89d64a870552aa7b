// Corrected and queried words on a touch screen. A mouse shows what the scan reads on hover and the keyboard on
// focus; a finger has neither, so the first tap on a corrected word shows the scan's reading and a
// second tap on it follows its link to the apparatus. A tap elsewhere hides the reading again.
let byTouch = false;
document.addEventListener("pointerdown", (event) => { byTouch = event.pointerType === "touch"; }, true);
const hideAll = () => document.querySelectorAll("a.correction.show-scan, a.query.show-scan").forEach((mark) => mark.classList.remove("show-scan"));
document.addEventListener("click", (event) => {
  const mark = event.target.closest("a.correction, a.query");
  if (!mark) { hideAll(); return; }
  if (!byTouch || mark.classList.contains("show-scan")) return;
  event.preventDefault();
  hideAll();
  mark.classList.add("show-scan");
});
