// Online forms (motcua.eforms): "Thêm dòng" adds a blank period row in the page instead of saving
// the draft and reloading it. Without JavaScript the button submits and the server adds the row.
(function () {
  "use strict";
  document.querySelectorAll(".periods").forEach(function (box) {
    var button = box.querySelector("button[value^='add_row:']");
    var count = box.querySelector("input[name^='rows_']");
    if (!button || !count) return;
    var key = count.name.slice("rows_".length);
    button.addEventListener("click", function (event) {
      var rows = box.querySelectorAll("fieldset.period");
      var last = rows[rows.length - 1];
      if (!last) return;
      event.preventDefault();
      var next = Number(count.value) + 1;
      var row = last.cloneNode(true);
      var legend = row.querySelector("legend");
      legend.textContent = legend.textContent.replace(/\d+$/, String(next));
      row.querySelectorAll(".field__error").forEach(function (p) { p.remove(); });
      row.querySelectorAll("input").forEach(function (input) {
        var column = input.name.split("__").pop();
        input.name = input.id = "f_" + key + "__" + next + "__" + column;
        input.value = "";
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      });
      row.querySelectorAll("label").forEach(function (label) {
        var column = label.htmlFor.split("__").pop();
        label.htmlFor = "f_" + key + "__" + next + "__" + column;
      });
      last.after(row);
      count.value = String(next);
      row.querySelector("input").focus();
    });
  });
})();
