// Move focus to the error summary after a failed submit, so keyboard and
// screen-reader users hear what went wrong first (GOV.UK error summary pattern).
(function () {
  "use strict";
  var summary = document.querySelector("[data-sluss-error-summary]");
  if (summary) {
    summary.focus();
  }
})();

// The similar-idea hint: as the title and the idea are written, ask the server for
// similar public ideas (an HTML fragment it escaped) and show them; the button is hidden.
// Without a script, the button "Look for similar ideas" sends the form for the same hint.
(function () {
  "use strict";
  var region = document.querySelector("[data-sluss-similar]");
  if (!region || !window.fetch || !window.FormData) {
    return;
  }
  var form = region.closest("form");
  var results = region.querySelector("#sluss-similar-results");
  var title = form && form.querySelector("[name=title]");
  var description = form && form.querySelector("[name=description]");
  if (!title || !results) {
    return;
  }
  // With the script the hint comes as one writes: the button is for pages without it,
  // and out of the way (and the keyboard's path) here.
  var button = region.querySelector("button[name=sluss_similar]");
  if (button) {
    button.hidden = true;
  }
  var timer = null;
  var last = "";
  function ask() {
    var text = title.value + "\n" + (description ? description.value : "");
    if (text.trim().length < 4 || text === last) {
      return;
    }
    last = text;
    var data = new FormData();
    data.append("title", title.value);
    data.append("description", description ? description.value : "");
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    if (token) {
      data.append("csrfmiddlewaretoken", token.value);
    }
    fetch(region.getAttribute("data-sluss-similar"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html !== null) {
          show(html);
        }
      })
      .catch(function () {});
  }
  // The hint may arrive while one writes further down the form: it grows above the field
  // with the focus, which would then slide down, out of sight on a small screen. The page
  // scrolls by as much, so the field stays where it was on the screen.
  function show(html) {
    var active = document.activeElement;
    var below = active && active !== document.body && !region.contains(active) &&
      (region.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING);
    var before = below ? active.getBoundingClientRect().top : 0;
    results.innerHTML = html;
    if (below) {
      var moved = active.getBoundingClientRect().top - before;
      if (moved) {
        window.scrollBy(0, moved);
      }
    }
  }
  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 700);
  }
  title.addEventListener("input", later);
  if (description) {
    description.addEventListener("input", later);
  }
})();
