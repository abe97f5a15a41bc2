/* Small progressive enhancements; every page works without them. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") {
      fn();
    } else {
      document.addEventListener("DOMContentLoaded", fn);
    }
  }

  ready(function () {
    // A select marked data-autosubmit submits its form on change (the language switch).
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () {
        select.form.submit();
      });
    });

    // The user menu closes on Escape and on a click elsewhere.
    var menus = document.querySelectorAll("details.user-menu");
    document.addEventListener("click", function (event) {
      menus.forEach(function (menu) {
        if (menu.open && !menu.contains(event.target)) {
          menu.open = false;
        }
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        menus.forEach(function (menu) {
          if (menu.open) {
            menu.open = false;
            menu.querySelector("summary").focus();
          }
        });
      }
    });

    // A search box with data-filter-table="<table id>" hides the rows whose text does not match.
    document.querySelectorAll("input[data-filter-table]").forEach(function (input) {
      var table = document.getElementById(input.getAttribute("data-filter-table"));
      if (!table) {
        return;
      }
      var rows = Array.prototype.slice.call(table.tBodies[0].rows);
      var counter = document.getElementById(input.getAttribute("data-filter-count") || "");
      input.hidden = false;
      input.addEventListener("input", function () {
        var needle = input.value.trim().toLowerCase();
        var shown = 0;
        rows.forEach(function (row) {
          var match = !needle || row.textContent.toLowerCase().indexOf(needle) !== -1;
          row.hidden = !match;
          if (match) {
            shown += 1;
          }
        });
        if (counter) {
          counter.textContent = String(shown);
        }
      });
    });
  });
})();
