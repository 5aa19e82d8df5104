// A slug made from a title keeps its dashes as hyphens: "Japan–Estonia" gives
// "japan-estonia", not "japanestonia". Django's URLify drops every character that is
// not a letter, digit, space or hyphen, the en and em dashes among them; prepopulate.js
// looks URLify up each time it fills the slug, so wrapping it is enough. The admin may
// load this file before urlify.js: the wrapping waits until every script has run.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  const urlify = window.URLify;
  if (typeof urlify !== "function") {
    return;
  }
  window.URLify = function (text, numChars, allowUnicode) {
    return urlify(String(text).replace(/[\u2010-\u2015\u2212]/g, " - "), numChars, allowUnicode);
  };
});
