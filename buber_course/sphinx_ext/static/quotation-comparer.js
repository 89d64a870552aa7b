/* The quotation comparer in the static book (no kernel). The page carries, rendered by Python
   (buber_course.comparer.static_html), the choosers and the first pair. quotation-cards.js, beside
   this script, carries every quotation's card, rendered by Python too (comparer.cards_script): its
   words marked with the form they are compared in (data-w), and its third view (one quotation in
   Buber's English, the original and the standard English, what differs marked). It is loaded when
   the reader first changes the pair, or at once for an address that names a pair, a set or the third
   view. This script only filters the lists, puts the chosen cards side by side and marks the words
   whose compared forms stand in both: the rules for words live in Python (buber_course.quotations).
   It builds no HTML from data. */
(() => {
  "use strict";
  const root = document.querySelector(".quotation-comparer");
  if (!root) return;

  /* The other cards come with a script of their own (about 780 KB): the first pair stands in the page,
     so a phone need not wait for the rest before it can show and scroll the page. */
  const here = (document.currentScript || document.querySelector('script[src*="quotation-comparer.js"]')).src;
  const cardsUrl = new URL(`quotation-cards.js?v=${root.dataset.cardsVersion}`, here);
  let rendered = null, arriving = null;
  const cardsArrived = () => arriving || (arriving = new Promise((resolve, reject) => {
    const script = document.createElement("script");
    const failed = () => {
      script.remove();
      reject(new Error(`The other quotations could not be loaded (${cardsUrl.pathname}): check the connection, then choose again.`));
    };
    script.src = cardsUrl;
    /* quotationCards: the name comparer.CARDS_GLOBAL gives the cards. */
    script.onload = () => (window.quotationCards ? resolve(window.quotationCards) : failed());
    script.onerror = failed;
    document.head.append(script);
  }));
  /* A card as an element, made from Python's rendering when it is first shown. */
  const element = (html) => {
    const template = document.createElement("template");
    template.innerHTML = html;
    return template.content.firstElementChild;
  };
  const card = (id) => element(rendered.cards[id] ?? rendered.cards[""]);  /* an id the cards lack: "no match" */
  const three = (id) => element(rendered.threes[id] ?? rendered.cards[""]);
  const viewInputs = [...root.querySelectorAll('input[name="qc-view"]')];
  const threeSlot = root.querySelector("#qc-three");
  const pairArea = root.querySelector(".qc-pair");
  const sideB = root.querySelector('.qc-side[data-side="b"]');
  const legendA = root.querySelector('.qc-side[data-side="a"] legend');
  const firstTitle = legendA.textContent;
  const view = () => (viewInputs.find((input) => input.checked) || viewInputs[0]).value;
  const setChooser = root.querySelector("#qc-set");
  const setReason = root.querySelector("#qc-set-reason");
  const summary = root.querySelector("#qc-shared");
  /* Every quotation's option stands in the first chooser; the page carries it once. */
  const allOptions = [...root.querySelector("#qc-a").options].map((option) => {
    const copy = option.cloneNode(true);
    copy.selected = false;
    copy.removeAttribute("selected");
    return [option.value, copy];
  });
  const sides = ["a", "b"].map((name) => ({
    name,
    choice: root.querySelector(`#qc-${name}`),
    filters: [...root.querySelectorAll(`.qc-side[data-side="${name}"] [data-filter]`)],
    slot: root.querySelector(`#qc-card-${name}`),
    options: new Map(allOptions),
  }));

  const setIds = () => {
    const option = setChooser.selectedOptions[0];
    return option && option.dataset.ids ? option.dataset.ids.split(";") : null;
  };

  const matches = (option, filters) => filters.every((filter) => {
    const want = filter.value;
    if (!want) return true;
    const kind = filter.dataset.filter;
    if (kind === "theme") return option.dataset.themes.split(";").includes(want);
    return option.dataset[kind] === want;
  });

  /* Offer the quotations of the set (in its order) or all, that match the side's filters. */
  function refill(side) {
    const current = side.choice.value;
    const ids = setIds() || [...side.options.keys()];
    const offered = ids.map((id) => side.options.get(id)).filter((option) => option && matches(option, side.filters));
    side.choice.replaceChildren(...offered.map((option) => option.cloneNode(true)));
    side.choice.disabled = offered.length === 0;
    if (offered.some((option) => option.value === current)) side.choice.value = current;
  }

  function show(side) {
    const id = side.choice.disabled ? "" : side.choice.value;
    const shown = side.slot.querySelector(".qc-card");
    if (shown && shown.dataset.id === id) return;
    side.slot.replaceChildren(card(id));
  }

  const wordsOf = (side) => [...side.slot.querySelectorAll(".qw")];

  /* Mark the words of each card whose compared form the other card uses too. */
  function highlight() {
    const [a, b] = sides.map(wordsOf);
    const empty = sides.some((side) => side.choice.disabled);
    const same = !empty && sides[0].choice.value === sides[1].choice.value;  /* nothing to compare */
    const formsOf = (words) => new Set(same ? [] : words.map((w) => w.dataset.w));
    const [inA, inB] = [formsOf(a), formsOf(b)];
    for (const [words, other] of [[a, inB], [b, inA]]) {
      for (const word of words) {
        const tag = other.has(word.dataset.w) ? "MARK" : "SPAN";
        if (word.tagName === tag) continue;
        const swapped = document.createElement(tag.toLowerCase());
        swapped.className = word.className;
        swapped.dataset.w = word.dataset.w;
        swapped.textContent = word.textContent;
        word.replaceWith(swapped);
      }
    }
    const shared = [];
    for (const word of a) if (inB.has(word.dataset.w) && !shared.some((w) => w.dataset.w === word.dataset.w)) shared.push(word);
    summary.textContent = empty ? root.dataset.summaryEmpty : same ? root.dataset.summarySame
      : shared.length ? root.dataset.summarySome.replace("{n}", shared.length) + shared.map((w) => w.textContent).join(", ")
        : root.dataset.summaryNone;
  }

  /* The address names the pair, so that it can be shared (after the pair is shown: it is slower). */
  function rememberPair() {
    const url = new URL(window.location.href);
    url.searchParams.set("a", sides[0].choice.value);
    url.searchParams.set("b", sides[1].choice.value);
    if (setChooser.value) url.searchParams.set("set", setChooser.value); else url.searchParams.delete("set");
    if (view() === "three") url.searchParams.set("view", "three"); else url.searchParams.delete("view");
    window.history.replaceState(null, "", url);
  }

  /* The third view shows the first side's quotation. */
  function showThree() {
    const id = sides[0].choice.disabled ? "" : sides[0].choice.value;
    const shown = threeSlot.firstElementChild;
    if (shown && shown.dataset.id === id) return;
    threeSlot.replaceChildren(three(id));
  }

  /* On a slow connection the first change waits for the cards: after a moment, say so in the live
     sentence (and mark the pair busy: its cards are about to change). */
  const sayLoading = () => {
    pairArea.setAttribute("aria-busy", "true");
    summary.hidden = false;
    summary.textContent = root.dataset.summaryLoading;
  };

  async function render() {
    const waiting = rendered ? null : window.setTimeout(sayLoading, 300);
    try {
      rendered = await cardsArrived();
    } catch (error) {
      arriving = null;  /* the next choice tries again */
      summary.hidden = false;
      summary.textContent = error.message;
      return;
    } finally {
      window.clearTimeout(waiting);
      pairArea.removeAttribute("aria-busy");
    }
    const three = view() === "three";
    pairArea.hidden = summary.hidden = sideB.hidden = three;
    threeSlot.hidden = !three;
    legendA.textContent = three ? "Quotation" : firstTitle;
    if (three) showThree();
    else {
      sides.forEach(show);
      highlight();
    }
    root.dispatchEvent(new CustomEvent("qc-rendered"));
    window.setTimeout(rememberPair, 0);
  }

  function openSet(first, second) {
    const option = setChooser.selectedOptions[0];
    setReason.textContent = option && option.dataset.reason ? option.dataset.reason : "";
    const ids = setIds();
    sides.forEach((side, index) => {
      side.filters.forEach((filter) => { filter.value = ""; });
      refill(side);
      const wanted = [first, second][index] || (ids ? ids[index] : "");
      if (wanted && side.options.has(wanted) && (!ids || ids.includes(wanted))) side.choice.value = wanted;
    });
  }

  for (const side of sides) {
    side.choice.addEventListener("change", render);
    for (const filter of side.filters) filter.addEventListener("change", () => { refill(side); render(); });
  }
  setChooser.addEventListener("change", () => { openSet(); render(); });
  for (const input of viewInputs) input.addEventListener("change", render);

  /* The page shows its first pair as rendered; a link such as
     quotations.html?a=lenin-1917-only-form#comparer opens another. */
  const params = new URLSearchParams(window.location.search);
  if (params.get("set") && [...setChooser.options].some((o) => o.value === params.get("set"))) setChooser.value = params.get("set");
  refill(sides[1]);
  if (params.get("view") === "three") root.querySelector("#qc-view-three").checked = true;
  if (params.has("a") || params.has("b") || params.has("set")) {
    openSet(params.get("a") || sides[0].choice.value, params.get("b") || sides[1].choice.value);
  }
  if (params.has("a") || params.has("b") || params.has("set") || view() === "three") render();
})();
