// Move focus to the error summary after a failed submit, so keyboard and
// screen-reader users hear what went wrong first (GOV.UK error summary pattern).
(function () {
  "use strict";
  var summary = document.querySelector("[data-sluss-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
