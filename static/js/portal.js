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
