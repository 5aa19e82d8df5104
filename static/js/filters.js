// Progressive enhancement for list pages with filters: apply each change in place,
// keep the URL shareable (history), and keep focus where it was. Without this
// script the filter form is an ordinary GET form and the page reloads.
(function () {
  "use strict";
  if (!window.fetch || !document.getElementById("listing")) return;

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
    if (form && !["number", "search", "text"].includes(event.target.type)) {
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
