// Maillage — small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Commune picker: suggestions as one types, through the input's <datalist>.
  function enhanceCommunePicker(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-suggest-url");
    if (!list || !url || !window.fetch) return;
    var timer = null;
    var lastQuery = "";
    input.addEventListener("input", function () {
      var query = input.value.trim();
      if (query.length < 2 || query === lastQuery || /—\s*\w{5}$/.test(query)) return;
      clearTimeout(timer);
      timer = setTimeout(function () {
        lastQuery = query;
        fetch(url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren.apply(list, data.results.map(function (commune) {
              var option = document.createElement("option");
              option.value = commune.label;
              return option;
            }));
          })
          .catch(function () { /* suggestions are a comfort, the form still works */ });
      }, 150);
    });
  }

  document.querySelectorAll("[data-commune-picker]").forEach(enhanceCommunePicker);
})();
