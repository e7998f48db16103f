// Fast entry of paper survey forms. Without this file the form still works (Tab moves, Enter
// submits and the server says what is missing); with it, a digit 0-5 moves to the next question
// by itself and Enter moves on instead of submitting until the last field.
(function () {
  "use strict";
  var form = document.querySelector("[data-paper-entry]");
  if (!form) { return; }
  var fields = Array.prototype.slice.call(
    form.querySelectorAll("input[type=text], input:not([type])")
  );
  var submitting = false;
  function next(input) {
    var i = fields.indexOf(input);
    if (i >= 0 && i + 1 < fields.length) { fields[i + 1].focus(); fields[i + 1].select(); return true; }
    return false;
  }
  fields.forEach(function (input) {
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        if (next(input)) { event.preventDefault(); }
      }
    });
    if (input.hasAttribute("data-score")) {
      input.addEventListener("input", function () {
        if (/^[0-5]$/.test(input.value)) { next(input); }
      });
    }
  });
  // A second submit while the first is on its way is ignored (the form token guards the server).
  form.addEventListener("submit", function (event) {
    if (submitting) { event.preventDefault(); }
    submitting = true;
  });
}());
