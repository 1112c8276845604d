/* sluss_wagtail in the Wagtail admin: the inbox's bulk actions show once an idea is ticked,
   as Wagtail's own do, with a checkbox in the column's header that ticks every idea on the
   page. Without this script the actions stand (closed) under the list and the header's
   checkbox stays hidden. */
(function () {
  'use strict';

  function setUp() {
    var footer = document.querySelector('[data-sluss-bulk]');
    if (!footer) {
      return;
    }
    var count = footer.querySelector('[data-sluss-bulk-count]');
    var selectAll = document.getElementById('sluss-select-all');
    var boxes = function () {
      return document.querySelectorAll('input.sluss-admin-select');
    };
    var update = function () {
      var all = boxes();
      var ticked = 0;
      all.forEach(function (box) {
        if (box.checked) {
          ticked += 1;
        }
      });
      footer.hidden = ticked === 0;
      if (count) {
        count.textContent = count.dataset.label + ' ' + ticked;
      }
      if (selectAll) {
        selectAll.checked = ticked > 0 && ticked === all.length;
        selectAll.indeterminate = ticked > 0 && ticked < all.length;
      }
    };
    if (selectAll) {
      selectAll.hidden = false;
      selectAll.addEventListener('change', function () {
        boxes().forEach(function (box) {
          box.checked = selectAll.checked;
        });
        update();
      });
    }
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
