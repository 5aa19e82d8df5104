// Link graph, progressively enhanced: zoom buttons, drag to pan, and a record's links
// lit up when it is pointed at or focused. Without this file the picture is whole,
// scrolls inside its box, and every mark is already a link.
(function () {
  "use strict";

  function enhance(box) {
    var svg = box.querySelector("svg");
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal) return;
    var base = svg.viewBox.baseVal;
    var home = { x: base.x, y: base.y, w: base.width, h: base.height };
    var view = { x: home.x, y: home.y, w: home.w, h: home.h };

    function apply() {
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (n) {
        return n.toFixed(1);
      }).join(" "));
    }

    function zoom(factor, cx, cy) {
      var w = Math.min(Math.max(view.w * factor, home.w / 12), home.w * 1.5);
      var h = w * home.h / home.w;
      cx = cx === undefined ? view.x + view.w / 2 : cx;
      cy = cy === undefined ? view.y + view.h / 2 : cy;
      view.x = cx - (cx - view.x) * w / view.w;
      view.y = cy - (cy - view.y) * h / view.h;
      view.w = w;
      view.h = h;
      apply();
    }

    function button(text, label, action) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      if (label) b.setAttribute("aria-label", label);
      b.addEventListener("click", action);
      return b;
    }

    var bar = document.createElement("div");
    bar.className = "graph-zoom";
    bar.appendChild(button("+", "Zoom in", function () { zoom(0.7); }));
    bar.appendChild(button("−", "Zoom out", function () { zoom(1 / 0.7); }));
    bar.appendChild(button("Reset zoom", "", function () {
      view = { x: home.x, y: home.y, w: home.w, h: home.h };
      apply();
    }));
    box.parentNode.insertBefore(bar, box);
    // On a narrow screen the picture pans inside its box: start with its middle in view.
    box.scrollLeft = (box.scrollWidth - box.clientWidth) / 2;
    box.classList.add("is-zoomable");
    svg.removeAttribute("width");
    svg.removeAttribute("height");

    // Ctrl or Cmd and the wheel zoom; the wheel alone still scrolls the page.
    box.addEventListener("wheel", function (event) {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      var point = toSvg(event);
      zoom(event.deltaY > 0 ? 1.15 : 1 / 1.15, point.x, point.y);
    }, { passive: false });

    function toSvg(event) {
      var rect = svg.getBoundingClientRect();
      return {
        x: view.x + (event.clientX - rect.left) * view.w / rect.width,
        y: view.y + (event.clientY - rect.top) * view.h / rect.height
      };
    }

    var drag = null;
    box.addEventListener("pointerdown", function (event) {
      if (event.target.closest("a") || event.button !== 0) return;
      drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y };
      box.setPointerCapture(event.pointerId);
    });
    box.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var rect = svg.getBoundingClientRect();
      view.x = drag.vx - (event.clientX - drag.x) * view.w / rect.width;
      view.y = drag.vy - (event.clientY - drag.y) * view.h / rect.height;
      apply();
    });
    function stop() { drag = null; }
    box.addEventListener("pointerup", stop);
    box.addEventListener("pointercancel", stop);

    // A record's own links, lit while it is pointed at or focused; a name that had no
    // room on the picture is shown then, over every other (a copy, last in the picture:
    // SVG paints in document order, and moving the record itself would lose its focus).
    var lines = svg.querySelectorAll("line[data-a]");
    var top = document.createElementNS("http://www.w3.org/2000/svg", "g");
    top.setAttribute("class", "linkgraph-top");
    top.setAttribute("aria-hidden", "true");
    svg.appendChild(top);
    function light(id, node) {
      svg.classList.toggle("is-dimmed", Boolean(id));
      lines.forEach(function (line) {
        var on = id && (line.getAttribute("data-a") === id || line.getAttribute("data-b") === id);
        line.classList.toggle("is-lit", Boolean(on));
      });
      top.textContent = "";
      if (!node) return;
      node.querySelectorAll(".linkgraph-label-hidden").forEach(function (text) {
        var copy = text.cloneNode(true);
        copy.removeAttribute("visibility");
        copy.removeAttribute("class");
        top.appendChild(copy);
      });
    }
    svg.querySelectorAll("a.linkgraph-node").forEach(function (node) {
      var id = node.getAttribute("data-id");
      node.addEventListener("mouseenter", function () { light(id, node); });
      node.addEventListener("mouseleave", function () { light(null); });
      node.addEventListener("focus", function () { light(id, node); });
      node.addEventListener("blur", function () { light(null); });
    });
  }

  document.querySelectorAll("[data-linkgraph]").forEach(enhance);
})();
