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

    // A form marked data-live="<ids>" posts in the background; the parts of the page its answer (the page
    // the endpoint redirects to) changes, named by id, are swapped in place, with its messages. Without
    // this script the form posts and the page reloads as usual.
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form[data-live]") || !window.fetch || !window.DOMParser) {
        return;
      }
      event.preventDefault();
      var ids = form.getAttribute("data-live").split(/\s+/);
      var token = form.querySelector("input[name=csrfmiddlewaretoken]");
      form.querySelectorAll("button").forEach(function (button) {
        button.disabled = true;
      });
      var focusItem = form.closest("[data-item]");
      focusItem = focusItem ? focusItem.getAttribute("data-item") : null;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
      })
        .then(function (answer) {
          if (!answer.ok) {
            throw new Error(String(answer.status));
          }
          return answer.text();
        })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html");
          ids.forEach(function (id) {
            var old = document.getElementById(id);
            var replacement = fresh.getElementById(id);
            if (old && replacement) {
              old.replaceWith(document.importNode(replacement, true));
            } else if (old) {
              old.remove();
            }
          });
          var main = document.getElementById("content");
          var oldMessages = main.querySelector(":scope > .messages");
          var newMessages = fresh.querySelector("#content > .messages");
          if (oldMessages) {
            oldMessages.remove();
          }
          if (newMessages) {
            main.insertBefore(document.importNode(newMessages, true), main.firstChild);
          }
          var again = focusItem && document.querySelector('[data-item="' + focusItem + '"] button');
          if (again) {
            again.focus();
          }
        })
        .catch(function () {
          form.submit(); // let the server answer the usual way
        });
    });
  });
})();
