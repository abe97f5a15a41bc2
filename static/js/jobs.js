/* A recompute job's page follows the job while it is queued or running.
 *
 * Every 2 seconds it reads GET /api/v1/jobs/<id>/ (the session authenticates it) and updates the
 * status badge, the progress bar, the current step, the times and the step table in place; it
 * stops at a final status (succeeded or failed). The translated labels and duration formats come
 * from the page (json_script "job-config"), so this file holds no user-facing text.
 */
(function () {
  "use strict";

  var FINAL = { succeeded: true, failed: true };

  function ready(fn) {
    if (document.readyState !== "loading") {
      fn();
    } else {
      document.addEventListener("DOMContentLoaded", fn);
    }
  }

  // "%(minutes)d min %(seconds)02d s" with {minutes: 1, seconds: 5} -> "1 min 05 s" (Python's % formatting).
  function pyFormat(template, values) {
    return template.replace(/%\((\w+)\)(0?)(\d*)([sd])/g, function (match, name, zero, width, type) {
      var value = values[name];
      var text = type === "d" ? String(Math.trunc(Number(value))) : String(value);
      if (zero && width) {
        while (text.length < Number(width)) {
          text = "0" + text;
        }
      }
      return text;
    });
  }

  // The same rules as duration_text() in org/job_views.py.
  function durationText(seconds, formats) {
    if (seconds === null || seconds === undefined || isNaN(seconds)) {
      return "—";
    }
    if (seconds < 10) {
      return pyFormat(formats.seconds, { seconds: seconds.toFixed(2) });
    }
    if (seconds < 60) {
      return pyFormat(formats.seconds, { seconds: seconds.toFixed(1) });
    }
    var whole = Math.round(seconds);
    if (whole < 3600) {
      return pyFormat(formats.minutes, { minutes: Math.floor(whole / 60), seconds: whole % 60 });
    }
    return pyFormat(formats.hours, { hours: Math.floor(whole / 3600), minutes: Math.floor((whole % 3600) / 60) });
  }

  // The API writes times in the server's time zone ("2026-11-03T02:00:05.123+08:00"); show them as
  // the page does ("2026-11-03 02:00:05").
  function timeText(iso) {
    return iso ? iso.slice(0, 19).replace("T", " ") : "—";
  }

  // A step's outcome in words, "Incremental, 15,094 rows", as result_text() in org/job_views.py writes it.
  function resultText(result, words) {
    if (result === null || typeof result !== "object" || Array.isArray(result)) {
      return "";
    }
    var parts = [];
    if (words.modes[result.mode]) {
      parts.push(words.modes[result.mode]);
    }
    Object.keys(words.counts).forEach(function (key) {
      var value = result[key];
      if (typeof value === "number" && Number.isInteger(value)) {
        var template = words.counts[key][value === 1 ? 0 : 1];
        parts.push(pyFormat(template, { count: value.toLocaleString("en-US") }));
      }
    });
    return parts.join(words.separator);
  }

  // What a failed step says (its short error) or a skipped one (the steps it needs), as _step_note() does.
  function noteText(step, config) {
    if (step.status === "skipped") {
      var names = (step.blocked_by || []).map(function (name) {
        return config.stepLabels[name] || name;
      });
      return pyFormat(config.formats.blocked, { steps: names.join(config.formats.listSeparator) });
    }
    return typeof step.error === "string" ? step.error : "";
  }

  function setText(id, text) {
    var element = document.getElementById(id);
    if (element) {
      element.textContent = text;
    }
  }

  // A badge's classes: its fixed ones ("badge", "step-status") and the one of its status.
  function setBadge(element, base, status, label, badges) {
    element.textContent = label || status;
    element.className = base + (badges[status] ? " " + badges[status] : "");
    element.setAttribute("data-status", status);
  }

  function stepRow(tbody, step, index, config) {
    var row = tbody.querySelector('tr[data-step="' + CSS.escape(step.name) + '"]');
    if (row) {
      return row;
    }
    // A step the page did not know when it was rendered: add a row shaped like the others.
    row = document.createElement("tr");
    row.setAttribute("data-step", step.name);
    var cells = [
      ["num", String(index + 1)],
      ["", (config.stepLabels[step.name] || step.name) + " "],
      ["", ""],
      ["num step-seconds", ""],
      ["bar-cell hide-sm", ""],
      ["num hide-sm step-average", "—"],
      ["hide-sm small step-result", ""],
    ];
    cells.forEach(function (spec) {
      var cell = document.createElement("td");
      if (spec[0]) {
        cell.className = spec[0];
      }
      cell.textContent = spec[1];
      row.appendChild(cell);
    });
    var badge = document.createElement("span");
    badge.className = "badge step-status";
    row.cells[2].appendChild(badge);
    var track = document.createElement("span");
    track.className = "job-bar-track";
    track.setAttribute("aria-hidden", "true");
    var bar = document.createElement("span");
    bar.className = "job-bar step-bar";
    track.appendChild(bar);
    row.cells[4].appendChild(track);
    var empty = tbody.querySelector("td.empty");
    if (empty) {
      empty.parentNode.remove();
    }
    tbody.appendChild(row);
    return row;
  }

  function renderSteps(steps, config) {
    var table = document.getElementById("job-steps");
    if (!table || !Array.isArray(steps)) {
      return;
    }
    var tbody = table.tBodies[0];
    var longest = 0;
    steps.forEach(function (step) {
      if (typeof step.seconds === "number" && step.seconds > longest) {
        longest = step.seconds;
      }
    });
    steps.forEach(function (step, index) {
      if (!step || !step.name) {
        return;
      }
      var status = step.status || "pending";
      var row = stepRow(tbody, step, index, config);
      var badge = row.querySelector(".step-status");
      if (badge) {
        setBadge(badge, "badge step-status", status, config.stepStatuses[status], config.badges);
      }
      var seconds = row.querySelector(".step-seconds");
      var known = typeof step.seconds === "number";
      if (seconds) {
        seconds.textContent = known ? durationText(step.seconds, config.formats) : "";
        if (known) {
          seconds.setAttribute("data-seconds", step.seconds.toFixed(3));
        }
      }
      var bar = row.querySelector(".step-bar");
      if (bar) {
        bar.style.width = (known && longest > 0 ? (step.seconds / longest) * 100 : 0).toFixed(1) + "%";
        bar.className = "job-bar step-bar " + status;
      }
      var result = row.querySelector(".step-result");
      if (result) {
        result.textContent = noteText(step, config) || resultText(step.result, config.resultWords);
        result.classList.toggle("error-line", status === "failed");
      }
    });
  }

  function render(job, config) {
    var status = document.getElementById("job-status");
    if (status) {
      setBadge(status, "badge", job.status, config.statuses[job.status], config.badges);
    }
    var percent = Math.round((Number(job.progress) || 0) * 100);
    var progress = document.getElementById("job-progress");
    if (progress) {
      progress.value = percent;
      progress.textContent = percent + " %";
    }
    setText("job-progress-text", percent + " %");
    setText("job-current-step", job.current_step ? config.stepLabels[job.current_step] || job.current_step : config.noStep);
    setText("job-started-at", timeText(job.started_at));
    setText("job-finished-at", timeText(job.finished_at));
    if (job.started_at && job.finished_at) {
      setText("job-duration", durationText((Date.parse(job.finished_at) - Date.parse(job.started_at)) / 1000, config.formats));
    }
    var failure = document.getElementById("job-failure");
    if (failure && job.error) {
      setText("job-error", job.error);
      failure.hidden = false;
    }
    renderSteps(job.steps, config);
  }

  function follow(config) {
    var live = document.getElementById("job-live");
    var liveText = live ? live.innerHTML : "";

    function poll() {
      fetch(config.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (response.status === 403 || response.status === 404) {
            return null; // the job is gone or no longer ours to see: stop quietly
          }
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (job) {
          if (!job) {
            return;
          }
          if (live) {
            live.innerHTML = liveText;
          }
          render(job, config);
          if (FINAL[job.status]) {
            document.body.setAttribute("data-job-final", job.status);
            if (live) {
              live.hidden = true;
            }
            return;
          }
          window.setTimeout(poll, config.interval);
        })
        .catch(function () {
          if (live) {
            live.textContent = config.pollFailed;
          }
          window.setTimeout(poll, config.interval);
        });
    }

    window.setTimeout(poll, config.interval);
  }

  ready(function () {
    var source = document.getElementById("job-config");
    if (!source) {
      return;
    }
    var config = JSON.parse(source.textContent);
    if (config.active) {
      follow(config);
    }
  });
})();
