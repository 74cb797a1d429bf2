// 发布目标: show the fields of the chosen 类型 only (govsite.delivery.panels renders them all and
// hides the other kinds'; without this script, saving with another kind shows its fields).
(function () {
  "use strict";
  var select = document.querySelector('select[name="kind"]');
  var panels = document.querySelectorAll("[data-target-kinds]");
  if (!select || !panels.length) return;
  function show() {
    panels.forEach(function (panel) {
      panel.hidden = panel.getAttribute("data-target-kinds").split(" ").indexOf(select.value) < 0;
    });
  }
  select.addEventListener("change", show);
  show();
})();
