// A long table marked data-filterable gets a box above it: typing narrows its rows to
// those whose first cell (the party) holds the words. Without this script the whole
// table shows, as served.
"use strict";
document.querySelectorAll("table[data-filterable]").forEach(function (table, n) {
  const rows = Array.from(table.tBodies[0] ? table.tBodies[0].rows : []);
  if (rows.length < 10) return;
  const id = "table-filter-" + n;
  const wrap = document.createElement("p");
  wrap.className = "table-filter";
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = "Find a party";
  const input = document.createElement("input");
  input.type = "search";
  input.id = id;
  const status = document.createElement("span");
  status.className = "note";
  status.setAttribute("role", "status");
  input.addEventListener("input", function () {
    const wanted = input.value.trim().toLowerCase();
    let shown = 0;
    rows.forEach(function (row) {
      const match = !wanted || row.cells[0].textContent.toLowerCase().includes(wanted);
      row.hidden = !match;
      if (match) shown += 1;
    });
    status.textContent = wanted ? shown + " of " + rows.length + " shown" : "";
  });
  wrap.append(label, " ", input, " ", status);
  const scroller = table.closest(".table-wrap") || table;
  scroller.parentNode.insertBefore(wrap, scroller);
});
