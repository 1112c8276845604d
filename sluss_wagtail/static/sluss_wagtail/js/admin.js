/* sluss_wagtail in the Wagtail admin: the inbox's bulk actions show once an idea is ticked,
   as Wagtail's own do. Without this script they stand (closed) under the list. */
(function () {
  'use strict';

  function setUp() {
    var footer = document.querySelector('[data-sluss-bulk]');
    if (!footer) {
      return;
    }
    var count = footer.querySelector('[data-sluss-bulk-count]');
    var boxes = function () {
      return document.querySelectorAll('input.sluss-admin-select');
    };
    var update = function () {
      var ticked = 0;
      boxes().forEach(function (box) {
        if (box.checked) {
          ticked += 1;
        }
      });
      footer.hidden = ticked === 0;
      if (count) {
        count.textContent = count.dataset.label + ' ' + ticked;
      }
    };
    document.addEventListener('change', function (event) {
      if (event.target.matches && event.target.matches('input.sluss-admin-select')) {
        update();
      }
    });
    update();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', setUp);
  } else {
    setUp();
  }
})();
