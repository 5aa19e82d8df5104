/* Timeline: drag across the picture to zoom to that period (progressive enhancement).
   Without this script the "From year" and "to year" fields do the same. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";

  function yearAt(svg, clientX) {
    var box = svg.getBoundingClientRect();
    var viewWidth = svg.viewBox.baseVal.width;
    var x = (clientX - box.left) * viewWidth / box.width;
    var x0 = parseFloat(svg.dataset.x0), x1 = parseFloat(svg.dataset.x1);
    var start = parseInt(svg.dataset.start, 10), end = parseInt(svg.dataset.end, 10);
    var fraction = Math.min(Math.max((x - x0) / (x1 - x0), 0), 1);
    return { x: Math.min(Math.max(x, x0), x1), year: Math.floor(start + fraction * (end + 1 - start)) };
  }

  function enhance(svg) {
    if (!svg.closest(".timeline") || svg.closest(".compact")) return;
    var band = null, from = null;
    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0 || event.target.closest("a")) return;
      from = yearAt(svg, event.clientX);
      band = document.createElementNS(NS, "rect");
      band.setAttribute("y", "0");
      band.setAttribute("height", svg.viewBox.baseVal.height);
      band.setAttribute("fill", "#0b5394");
      band.setAttribute("fill-opacity", "0.12");
      band.setAttribute("x", from.x);
      band.setAttribute("width", "0");
      svg.appendChild(band);
      svg.setPointerCapture(event.pointerId);
    });
    svg.addEventListener("pointermove", function (event) {
      if (!band) return;
      var to = yearAt(svg, event.clientX);
      band.setAttribute("x", Math.min(from.x, to.x));
      band.setAttribute("width", Math.abs(to.x - from.x));
    });
    svg.addEventListener("pointerup", function (event) {
      if (!band) return;
      var to = yearAt(svg, event.clientX);
      var wide = Math.abs(to.x - from.x) > 8;
      band.remove();
      band = null;
      if (!wide) return;
      var params = new URLSearchParams(window.location.search);
      params.set("from", Math.min(from.year, to.year));
      params.set("to", Math.max(from.year, to.year));
      params.delete("format");
      window.location.search = params.toString();
    });
  }

  document.querySelectorAll("svg.timeline-svg").forEach(enhance);
  var hint = document.querySelector("[data-timeline-hint]");
  if (hint) hint.hidden = false;
})();
