/* aidraft web: progress polling, the figure detail panel, sortable tables.
   Text from reports is only ever set with textContent, never parsed as HTML. */
(function () {
  "use strict";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /* progress page: poll the job, redraw its steps, show the result when done */
  function poll(box) {
    var url = box.getAttribute("data-status-url");
    var list = document.getElementById("steps");
    var failure = document.getElementById("progress-error");
    function tick() {
      fetch(url, { credentials: "same-origin", cache: "no-store" })
        .then(function (r) {
          if (r.ok) { return r.json(); }
          /* a job gone or refused answers JSON with its own Chinese line: show that line */
          return r.json().catch(function () { return {}; }).then(function (body) {
            var err = new Error(body.error || ("HTTP " + r.status));
            err.said = Boolean(body.error);
            throw err;
          });
        })
        .then(function (job) {
          list.textContent = "";
          job.steps.forEach(function (s) { list.appendChild(el("li", "step step-" + s.state, s.label)); });
          if (job.state === "done" || job.state === "failed") {
            window.location.replace(job.url);
            return;
          }
          window.setTimeout(tick, 600);
        })
        .catch(function (err) {
          failure.hidden = false;
          failure.textContent = err.said ? err.message : failure.getAttribute("data-template").replace("{error}", err.message);
        });
    }
    tick();
  }

  /* result page: a figure's status and source in the side panel */
  function showFigure(span) {
    var panel = document.getElementById("figure-detail");
    if (!panel) { return; }
    var prev = document.querySelector(".fig.selected");
    if (prev) { prev.classList.remove("selected"); }
    span.classList.add("selected");
    var d = span.dataset;
    var where = d.file ? d.file + " 第" + d.line + "行" + (d.sourceText && d.sourceText !== d.figure ? "（写作“" + d.sourceText + "”）" : "") : "—";
    var values = { figure: d.figure, label: d.label, where: where, sentence: d.sentence || "—", note: d.note || "—" };
    panel.querySelectorAll("[data-field]").forEach(function (dd) {
      dd.textContent = values[dd.getAttribute("data-field")];
    });
    panel.querySelector("dd[data-field=label]").className = "fig fig-" + d.status;
    panel.querySelector("dl").hidden = false;
    panel.querySelector("[data-empty]").hidden = true;
    panel.setAttribute("data-status", d.status);
    document.body.classList.add("sheet-open");
    /* beside the text the panel is already in view; in one column it is a bottom sheet: make
       sure the tapped figure is not hidden behind it */
    var sheet = window.getComputedStyle(panel).position === "fixed";
    if (sheet) {
      var box = span.getBoundingClientRect();
      var top = panel.getBoundingClientRect().top;
      if (box.bottom > top - 8 || box.top < 0) {
        window.scrollBy({ top: box.top - Math.max(16, (top - box.height) / 2), behavior: "instant" });
      }
    } else if (panel.getBoundingClientRect().top > window.innerHeight || panel.getBoundingClientRect().bottom < 0) {
      panel.scrollIntoView({ block: "nearest" });
    }
  }

  function closeDetail() {
    var panel = document.getElementById("figure-detail");
    if (!panel) { return; }
    panel.removeAttribute("data-status");
    document.body.classList.remove("sheet-open");
    var prev = document.querySelector(".fig.selected");
    if (prev) { prev.classList.remove("selected"); prev.focus(); }
  }

  document.addEventListener("click", function (e) {
    var target = e.target instanceof Element ? e.target : null;
    var span = target && target.closest(".report .fig");
    if (span) { showFigure(span); return; }
    if (target && target.closest("[data-close-detail]")) { closeDetail(); return; }
    var jump = target && target.closest("[data-jump]");
    if (jump) {
      var fig = document.getElementById(jump.getAttribute("data-jump"));
      if (fig) { e.preventDefault(); fig.scrollIntoView({ block: "center" }); fig.focus(); showFigure(fig); }
    }
  });
  document.addEventListener("keydown", function (e) {
    var target = e.target instanceof Element ? e.target : null;
    if (e.key === "Escape") { closeDetail(); }
    if (target && target.matches(".report .fig") && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      showFigure(target);
    }
  });

  /* tables: click a header to sort; numbers sort as numbers */
  function sortTable(th) {
    var table = th.closest("table");
    var body = table.tBodies[0];
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.getAttribute("data-type") === "number";
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    function key(row) {
      var cell = row.children[index];
      if (!cell) { return ""; }
      var raw = cell.getAttribute("data-value") || cell.textContent.trim();
      if (numeric) { var n = parseFloat(raw); return isNaN(n) ? -Infinity : n; }
      return raw;
    }
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a), y = key(b);
      if (numeric) { return (x - y) * dir; }
      return x.localeCompare(y, "zh-CN") * dir;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("progress");
    if (box) { poll(box); }
    document.querySelectorAll("table.sortable th").forEach(function (th) {
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortTable(th); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sortTable(th); } });
    });
    document.querySelectorAll("form[data-busy]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        var button = e.submitter || form.querySelector("button[type=submit]");
        if (button) { button.disabled = true; button.textContent = button.getAttribute("data-busy") || form.getAttribute("data-busy"); }
      });
    });
  });
})();
