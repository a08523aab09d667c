// The possible-matches panel on the enrolment page follows what the case manager types:
// a moment after typing stops, the panel is fetched again from our own origin (the CSP
// allows no other) and swapped in; the panel announces itself politely to screen readers.
// Without JavaScript the Search button does the same with a page load.
(function () {
  "use strict";
  var input = document.querySelector("[data-matches]");
  if (!input || !window.fetch) {
    return;
  }
  var url = input.getAttribute("data-matches");
  var timer = null;
  var asked = 0;
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var ask = ++asked;
      fetch(url + "?name=" + encodeURIComponent(input.value), {
        credentials: "same-origin",
        headers: { Accept: "text/html" }
      })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          var panel = document.getElementById("matches");
          // Only the latest answer is shown, whatever order answers arrive in.
          if (html === null || ask !== asked || !panel) {
            return;
          }
          var next = new DOMParser().parseFromString(html, "text/html").getElementById("matches");
          if (next) {
            panel.replaceWith(next);
          }
        })
        .catch(function () {});
    }, 250);
  });
})();
