// Atelier view: refresh the board's result block every few seconds. Without this file a reload shows the same.
(function () {
  "use strict";
  var block = document.querySelector("[data-refresh-url]");
  if (!block || !window.fetch) return;
  var url = block.getAttribute("data-refresh-url");
  var seconds = parseInt(block.getAttribute("data-refresh-seconds"), 10) || 10;
  var note = document.querySelector("[data-refresh-note]");
  if (note) note.hidden = false;

  function refresh() {
    // Never pull the content from under someone using the keyboard or reading a hidden tab.
    if (document.hidden || block.contains(document.activeElement)) return;
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null || block.contains(document.activeElement)) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").body;
        block.replaceChildren.apply(block, Array.prototype.slice.call(fresh.childNodes));
      })
      .catch(function () { /* the next round will try again */ });
  }

  setInterval(refresh, seconds * 1000);
})();
