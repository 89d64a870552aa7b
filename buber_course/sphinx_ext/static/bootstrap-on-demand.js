/* Bootstrap's bundle (81 KB), fetched when a reader first reaches for what it serves; the theme
   module of the Sphinx extension lists this among its overrides. On these pages the bundle does three
   things: the header buttons' tooltips, the download menu, and the back-to-top button. Run on every
   page as the theme runs it, it held a slow phone's main thread for 90-450 ms while the page loaded
   (its evaluation and the layout it forces). So it is fetched on the first pointer over, focus on or
   press of one of those buttons, or, where the theme shows the back-to-top button (below 1200 px),
   the first scroll; a tooltip or a menu the reader was already reaching for is then shown, as if the
   bundle had been there. */
(() => {
  const marker = document.getElementById("bootstrap-on-demand");
  if (!marker) return;
  const TOGGLE = "[data-bs-toggle]";
  let loading = null;
  let pressedMenu = null;

  function load() {
    loading ??= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = marker.dataset.src;
      script.addEventListener("load", () => resolve(window.bootstrap));
      script.addEventListener("error", () => {
        script.remove();
        loading = null; // the network was away for a moment: the next reach tries again
        reject(new Error(`${script.src} did not load`));
      });
      document.head.append(script);
    });
    return loading;
  }

  // The pointer or the focus that asked for the bundle, given again once it has run and the reader is
  // still there, as the events Bootstrap's tooltips listen for, so that they answer with the theme's delay.
  function reachedFor(event) {
    const toggle = event.target.closest?.(TOGGLE);
    if (!toggle || window.bootstrap) return;
    load().then(() => {
      if (event.type === "focusin" && document.activeElement === toggle) {
        toggle.dispatchEvent(new FocusEvent("focusin", { bubbles: true }));
      } else if (event.type === "pointerover" && toggle.matches(":hover")) {
        toggle.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
      }
    }, () => {}); // the browser has reported the failed fetch
  }

  // Presses on the download menu before the bundle has run open it once the bundle has: a reader who
  // pressed twice because nothing seemed to happen still wants it open.
  function pressed(event) {
    const toggle = event.target.closest?.('[data-bs-toggle="dropdown"]');
    if (!toggle || window.bootstrap) return;
    const waiting = pressedMenu !== null;
    pressedMenu = toggle;
    if (waiting) return;
    load().then((bootstrap) => bootstrap.Dropdown.getOrCreateInstance(pressedMenu).show(), () => {})
      .finally(() => { pressedMenu = null; });
  }

  document.addEventListener("pointerover", reachedFor);
  document.addEventListener("focusin", reachedFor);
  document.addEventListener("click", pressed);
  if (matchMedia("(max-width: 1199.98px)").matches) {
    window.addEventListener("scroll", () => load().catch(() => {}), { once: true, passive: true });
  }
})();
