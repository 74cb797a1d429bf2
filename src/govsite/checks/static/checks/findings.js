// Show each pre-publication finding next to the field it was found in (发布前检查, govsite.checks).
(function () {
  "use strict";
  var match = window.location.pathname.match(/\/admin\/pages\/(\d+)\/edit\//);
  if (!match) return;
  var url = "/admin/checks/pages/" + match[1] + "/?format=json";
  fetch(url, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : { findings: [] }; })
    .then(function (data) {
      var byField = {};
      data.findings.forEach(function (f) { (byField[f.field] = byField[f.field] || []).push(f); });
      Object.keys(byField).forEach(function (field) {
        var target = document.querySelector('[data-contentpath="' + field + '"]');
        if (!target) return;
        var list = document.createElement("ul");
        list.className = "govsite-field-findings help-block";
        list.setAttribute("aria-label", "发布前检查");
        byField[field].forEach(function (f) {
          var item = document.createElement("li");
          var label = f.overridden ? "已放行" : (f.severity === "blocking" ? "阻止发布" : "提醒");
          item.className = f.severity === "blocking" && !f.overridden ? "help-critical" : "help-warning";
          item.textContent = "［" + label + "］" + f.message + (f.context ? "：" + f.context : "") +
            (f.suggestion ? "。建议：" + f.suggestion : "");
          list.appendChild(item);
        });
        target.appendChild(list);
      });
    })
    .catch(function () { /* the list at the top of the editor still shows every finding */ });
})();
