// 提交审核 with blocking findings: ask first (三审, govsite.workflow). The server says it again after
// the submission and 我的待审 lists the findings of every page.
(function () {
  "use strict";
  var match = window.location.pathname.match(/\/admin\/pages\/(\d+)\/edit\//);
  if (!match) return;
  var blocking = 0;
  fetch("/admin/checks/pages/" + match[1] + "/?format=json", { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : { findings: [] }; })
    .then(function (data) {
      blocking = data.findings.filter(function (f) { return f.severity === "blocking" && !f.overridden; }).length;
    })
    .catch(function () { blocking = 0; });
  document.addEventListener("click", function (event) {
    var button = event.target.closest('button[name="action-submit"], button[name="action-restart-workflow"]');
    if (!button || !blocking) return;
    if (!window.confirm(blocking + " 个问题将阻止发布，仍要提交？")) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
