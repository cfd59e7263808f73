/* Portal-wide behaviour, loaded by base.html right after htmx (both deferred, so they run in this order).
   No inline scripts anywhere: everything a page needs from JavaScript lives in static files like this one. */
(function () {
  "use strict";

  // --- htmx: show 4xx answers -------------------------------------------------------------------------------
  // htmx 2 swaps only 2xx/3xx answers. Our views answer a bad htmx form post with 4xx and the form again, its
  // messages included (or, for page-level errors, an alert retargeted into #page-alerts): swap those too.
  // A 5xx is swapped only when the server sent it for us (retargeted); anything else (a proxy's error page)
  // leaves the page as it is and says so in the alert region.
  if (window.htmx) {
    window.htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "4..", swap: true, error: false },
      { code: "...", swap: false, error: true },
    ];
  }

  function alertRegion() {
    return document.getElementById("page-alerts");
  }

  function showAlert(text) {
    var region = alertRegion();
    if (!region || !text) return;
    var box = document.createElement("div");
    box.className = "page-alert msg-error";
    box.setAttribute("role", "alert");
    box.setAttribute("tabindex", "-1");
    box.textContent = text;
    region.replaceChildren(box);
    reveal(box);
  }

  function reveal(el) {
    if (!el) return;
    el.scrollIntoView({ block: "center" });
    el.focus({ preventScroll: true });
  }

  document.addEventListener("htmx:beforeSwap", function (evt) {
    var xhr = evt.detail.xhr;
    if (xhr.status >= 500 && xhr.getResponseHeader("HX-Retarget")) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  // After an error answer is swapped in, bring its first message into view and give it the focus, so a phone
  // user sees it and a screen reader reads it.
  document.addEventListener("htmx:afterSettle", function (evt) {
    var xhr = evt.detail.xhr;
    if (!xhr || xhr.status < 400) return;
    var target = evt.detail.target || evt.target;
    if (target && !target.isConnected && target.id) target = document.getElementById(target.id); // outerHTML
    var scope = target && target.isConnected ? target : document;
    reveal(scope.querySelector("[role=alert]") || document.querySelector("#page-alerts [role=alert]"));
  });

  document.addEventListener("htmx:responseError", function (evt) {
    if (evt.detail.xhr && evt.detail.xhr.getResponseHeader("HX-Retarget")) return;
    var region = alertRegion();
    showAlert(region && region.getAttribute("data-server-error"));
  });

  document.addEventListener("htmx:sendError", function () {
    var region = alertRegion();
    showAlert(region && region.getAttribute("data-network-error"));
  });

  // --- pickers: a search box over a long <select> (grouped by <optgroup>) ------------------------------------
  // Progressive enhancement of <select data-picker="placeholder">: typing filters the options and hides empty
  // groups; a multiple select also lists what is chosen. Without JavaScript the plain select works.
  function enhancePicker(select) {
    if (select.dataset.pickerReady) return;
    select.dataset.pickerReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "picker-search";
    box.placeholder = select.getAttribute("data-picker") || "";
    box.setAttribute("aria-label", box.placeholder);
    box.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(box, select);
    var chosen = null;
    if (select.multiple) {
      chosen = document.createElement("p");
      chosen.className = "picker-chosen muted";
      chosen.setAttribute("aria-live", "polite");
      select.parentNode.insertBefore(chosen, select.nextSibling);
    }
    function showChosen() {
      if (!chosen) return;
      var names = Array.prototype.map.call(select.selectedOptions, function (o) { return o.textContent; });
      chosen.textContent = names.length ? "✓ " + names.join("、") : "";
    }
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (o) {
        var group = o.parentNode.tagName === "OPTGROUP" ? o.parentNode.label.toLowerCase() : "";
        o.hidden = !!q && o.value !== "" && o.textContent.toLowerCase().indexOf(q) < 0 && group.indexOf(q) < 0;
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (g) {
        g.hidden = !Array.prototype.some.call(g.children, function (o) { return !o.hidden; });
      });
    });
    select.addEventListener("change", showChosen);
    showChosen();
  }

  function enhanceAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("select[data-picker]"), enhancePicker);
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:load", function (evt) { enhanceAll(evt.target); });

  // --- full-page forms: the error summary takes the focus --------------------------------------------------
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  });
})();

/* The portal's few behaviours, as data attributes instead of inline handlers and style attributes: the
   Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) allows only scripts and styles served from here.
   Events are delegated from the document, so content that htmx swaps in works without re-binding. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-nav-toggle]")) {
      document.body.classList.toggle("nav-open");
    }
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });

  // <select data-autosubmit>: choosing an option submits its form.
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) {
      field.form.submit();
    }
  });

  // <form data-confirm="question">: submitted only when the user confirms.
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // <div data-width="42">: a bar 42% wide (set through the CSSOM, which the policy permits).
  function sizeBars(root) {
    root.querySelectorAll("[data-width]").forEach(function (bar) {
      var percent = parseFloat(bar.getAttribute("data-width"));
      if (!isNaN(percent)) {
        bar.style.width = Math.max(0, Math.min(100, percent)) + "%";
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { sizeBars(document); });
  document.addEventListener("htmx:load", function (event) { sizeBars(event.target); });
})();
