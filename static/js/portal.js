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

  // --- full-page forms: the error summary takes the focus --------------------------------------------------
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  });
})();
