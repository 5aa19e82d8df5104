// World maps (core/worldmap.py): on a narrow screen the map pans inside its frame;
// start it centred on the countries it is about rather than on its left edge.
(function () {
  "use strict";
  if (window.cyberdiploMaps) return;
  window.cyberdiploMaps = true;
  function centre(frame) {
    if (frame.scrollWidth <= frame.clientWidth) return;
    var box = frame.getBoundingClientRect();
    var lefts = [];
    frame.querySelectorAll(".worldmap-place").forEach(function (place) {
      var r = place.getBoundingClientRect();
      if (r.width) lefts.push(r.left + r.width / 2 - box.left + frame.scrollLeft);
    });
    if (!lefts.length) return;
    lefts.sort(function (a, b) { return a - b; });
    var middle = lefts[Math.floor(lefts.length / 2)];
    frame.scrollLeft = Math.max(0, middle - frame.clientWidth / 2);
  }
  function all() { document.querySelectorAll(".worldmap-frame").forEach(centre); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();
