// Progressive enhancement for list pages with filters: apply each change in place,
// keep the URL shareable (history), and keep focus where it was. Without this
// script the filter form is an ordinary GET form and the page reloads.
(function () {
  "use strict";
  if (!document.getElementById("listing")) return;

  // A long facet (parties, norms): a box to narrow its checkboxes by typing, when there
  // are more than its scrolling box shows at once.
  const FINDER_ABOVE = 10; // options
  function addFinders() {
    document.querySelectorAll("fieldset[data-long]").forEach(function (fieldset, n) {
      if (fieldset.querySelector(".finder")) return;
      if (fieldset.querySelectorAll(".options li").length <= FINDER_ABOVE) return;
      const legend = fieldset.querySelector("legend");
      const id = "finder-" + n;
      const wrap = document.createElement("p");
      wrap.className = "finder";
      const label = document.createElement("label");
      label.htmlFor = id;
      label.className = "visually-hidden";
      label.textContent = "Find in " + (legend ? legend.textContent : "this list");
      const input = document.createElement("input");
      input.type = "search";
      input.id = id;
      input.placeholder = "Type to find…";
      input.setAttribute("form", "no-submit"); // not a filter: never sent
      input.addEventListener("input", function () {
        const wanted = input.value.trim().toLowerCase();
        fieldset.querySelectorAll(".options li").forEach(function (item) {
          const checked = item.querySelector("input:checked");
          item.hidden = Boolean(wanted) && !checked && !item.textContent.toLowerCase().includes(wanted);
        });
      });
      wrap.append(label, input);
      fieldset.insertBefore(wrap, fieldset.querySelector(".options"));
    });
  }

  // On a narrow screen the results come first: the filters fold into their summary line.
  const narrow = window.matchMedia("(max-width: 700px)");
  let panelOpen = !narrow.matches;
  function setPanel() {
    const panel = document.querySelector("[data-filters-panel]");
    if (!panel) return;
    panel.open = panelOpen;
    panel.addEventListener("toggle", function () { panelOpen = panel.open; });
  }
  addFinders();
  setPanel();
  if (!window.fetch) return;

  function urlFor(form) {
    const params = new URLSearchParams(new FormData(form));
    for (const [key, value] of [...params.entries()]) {
      if (value === "") params.delete(key);
    }
    const query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  async function load(url, push) {
    const partial = new URL(url, window.location.href);
    partial.searchParams.set("partial", "listing");
    const response = await fetch(partial, { headers: { Accept: "text/html" } });
    if (!response.ok) {
      window.location.href = url; // the full page explains what was wrong
      return;
    }
    const focused = document.activeElement ? document.activeElement.id : "";
    const next = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = next.getElementById("listing");
    const listing = document.getElementById("listing");
    if (!fresh || !listing) return;
    listing.replaceChildren(...fresh.childNodes);
    addFinders();
    setPanel();
    // The status region stays in the page, so assistive technology announces the new count.
    const status = document.getElementById("results-status");
    const heading = document.getElementById("results-heading");
    if (status && heading) status.textContent = heading.textContent;
    if (push) window.history.pushState({}, "", url);
    const again = focused && document.getElementById(focused);
    if (again) again.focus();
  }

  document.addEventListener("change", function (event) {
    const form = event.target.closest("form[data-filters]");
    // Typed values (years, words) apply on submit, not on every keystroke.
    if (form && !["number", "search", "text"].includes(event.target.type) && !event.target.closest(".finder")) {
      load(urlFor(form), true);
    }
  });
  document.addEventListener("submit", function (event) {
    const form = event.target.closest("form[data-filters]");
    if (!form) return;
    event.preventDefault();
    load(urlFor(form), true);
  });
  window.addEventListener("popstate", function () {
    load(window.location.href, false);
  });
})();
