/* People pickers: a search box above each select of people. With data-people-search it asks the server for
   people by name (within the login's scope) and offers them in the select; with data-people-filter every choice
   is on the page and the box narrows them. What is chosen stays chosen. */
(function () {
  "use strict";

  function options(select) {
    return Array.prototype.map.call(select.options, function (option) {
      return { value: option.value, label: option.text, selected: option.selected };
    });
  }

  function rebuild(select, items) {
    var seen = {};
    select.innerHTML = "";
    items.forEach(function (item) {
      var key = String(item.value);
      if (seen[key]) {
        return;
      }
      seen[key] = true;
      select.add(new Option(item.label, key, false, !!item.selected));
    });
  }

  function enhance(select) {
    var local = select.hasAttribute("data-people-filter");
    var original = options(select);
    var label = select.getAttribute("data-search-label") || "";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "people-search";
    input.placeholder = label;
    input.setAttribute("aria-label", label);
    input.setAttribute("autocomplete", "off");
    input.setAttribute("data-search-for", select.id || select.name);
    select.parentNode.insertBefore(input, select);
    var timer = null;
    var asked = 0;

    function chosen() {
      return options(select).filter(function (item) {
        return item.selected && item.value !== "";
      });
    }

    function show(results) {
      var keep = chosen();
      var empty = original.filter(function (item) {
        return item.value === "";
      });
      var items = empty.concat(keep, results);
      rebuild(select, items);
      if (!select.multiple && keep.length === 0 && results.length > 0) {
        select.value = String(results[0].value);
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      select.setAttribute("data-results", String(results.length));
    }

    function filter() {
      // every choice is on the page: show those whose text matches, and whatever is chosen
      var needle = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        var match = !needle || option.selected || option.text.toLowerCase().indexOf(needle) !== -1;
        option.hidden = !match;
      });
    }

    function search() {
      if (local) {
        filter();
        return;
      }
      var query = input.value.trim();
      if (!query) {
        var keep = chosen().map(function (item) {
          return item.value;
        });
        rebuild(
          select,
          original.map(function (item) {
            return { value: item.value, label: item.label, selected: keep.indexOf(item.value) !== -1 };
          }).concat(chosen())
        );
        return;
      }
      var url = select.getAttribute("data-people-search");
      url += (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
      var mine = ++asked;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (mine === asked) {
            show(data.results || []);
          }
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter searches now instead of sending the form
        clearTimeout(timer);
        search();
      }
    });
  }

  function ready(fn) {
    if (document.readyState !== "loading") {
      fn();
    } else {
      document.addEventListener("DOMContentLoaded", fn);
    }
  }

  ready(function () {
    document.querySelectorAll("select[data-people-search], select[data-people-filter]").forEach(enhance);
  });
})();
