// Project cards, progressive enhancement. Without this file every form works and a reload shows the same.
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser) return;

  function parse(html) {
    return new DOMParser().parseFromString(html, "text/html");
  }

  // "Ça m'interpelle": send the form, then swap the card for its new state, keeping focus on its button.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-interest")) return;
    var card = form.closest("[data-card]");
    if (!card) return;
    event.preventDefault();
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
      .then(function (html) {
        var fresh = parse(html).querySelector('[data-card="' + card.getAttribute("data-card") + '"]');
        if (!fresh) { window.location.reload(); return; }
        card.replaceWith(fresh);
        var button = fresh.querySelector("[data-interest] button");
        if (button) button.focus();
      })
      .catch(function () { form.submit(); });
  });

  // Atelier view: refresh the result block every few seconds.
  var block = document.querySelector("[data-refresh-url]");
  if (!block) return;
  var url = block.getAttribute("data-refresh-url");
  var seconds = parseInt(block.getAttribute("data-refresh-seconds"), 10) || 10;
  var note = document.querySelector("[data-refresh-note]");
  if (note) note.hidden = false;

  function refresh() {
    // Never pull the content from under someone using the keyboard, nor work for a hidden tab.
    if (document.hidden || block.contains(document.activeElement)) return;
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null || block.contains(document.activeElement)) return;
        var fresh = parse(html).body;
        block.replaceChildren.apply(block, Array.prototype.slice.call(fresh.childNodes));
      })
      .catch(function () { /* the next round will try again */ });
  }

  setInterval(refresh, seconds * 1000);
})();
