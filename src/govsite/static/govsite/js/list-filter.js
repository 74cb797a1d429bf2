/* 按事项名称查找: filter a column's list of pages (a 办事服务 column's guides) as the reader types.
   Progressive: the form is hidden until this script shows it; without script the whole list stays. */
(function () {
  "use strict";
  function setUp(form) {
    var list = document.getElementById(form.getAttribute("data-list-filter"));
    var input = form.querySelector("input");
    var count = form.querySelector(".list-filter-count");
    if (!list || !input) { return; }
    var items = Array.prototype.slice.call(list.querySelectorAll("li"));
    form.hidden = false;
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var text = item.textContent.toLowerCase();
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      count.textContent = words.length ? "找到 " + shown + " 项" : "";
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-list-filter]"), setUp);
  });
})();
