// "Sao chép" buttons for people who pay from another phone: each button copies the text of the
// element named by its data-copy attribute. Without JavaScript (or without the Clipboard API) the
// buttons stay hidden and the values remain plain text a person can select.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  var buttons = document.querySelectorAll("button.copy[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var status = button.closest("section").querySelector(".copy-status");
      navigator.clipboard.writeText(source.textContent.trim()).then(
        function () {
          if (status) {
            status.textContent = "Đã sao chép: " + source.textContent.trim();
          }
        },
        function () {
          if (status) {
            status.textContent = "Không sao chép được; xin chọn và sao chép bằng tay.";
          }
        }
      );
    });
  });
})();
