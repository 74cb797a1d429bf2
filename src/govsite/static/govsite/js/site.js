/* govsite public pages: small progressive enhancements. Every feature works or degrades without it. */
(function () {
  "use strict";
  var store = {
    get: function (k) { try { return window.localStorage.getItem(k); } catch (e) { return null; } },
    set: function (k, v) { try { window.localStorage.setItem(k, v); } catch (e) { /* private mode */ } }
  };

  // 字号 [大|中|小]
  var article = document.querySelector(".article");
  var sizeGroup = document.querySelector(".font-size");
  if (article && sizeGroup) {
    var buttons = sizeGroup.querySelectorAll("button[data-font-size]");
    var apply = function (size) {
      article.classList.remove("font-large", "font-small");
      if (size === "large" || size === "small") { article.classList.add("font-" + size); }
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.fontSize === size)); });
    };
    buttons.forEach(function (b) {
      b.addEventListener("click", function () { apply(b.dataset.fontSize); store.set("govsite.fontSize", b.dataset.fontSize); });
    });
    apply(store.get("govsite.fontSize") || "medium");
    sizeGroup.hidden = false;
  }

  // 打印本页
  document.querySelectorAll(".print-page").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });

  // 复制链接
  document.querySelectorAll(".copy-link").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      var url = b.dataset.copyUrl, status = b.parentNode.querySelector(".copy-status");
      var done = function (ok) { if (status) { status.textContent = ok ? "链接已复制" : "复制失败，请手动复制地址栏中的链接"; } };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(function () { done(true); }, function () { done(false); });
      } else { done(false); }
    });
  });

  // 无障碍浏览: a basic toolbar, loaded with this file (first-party, no network calls).
  var toggle = document.querySelector("[data-a11y-toolbar]");
  if (toggle) {
    var root = document.documentElement, bar = null;
    var zoom = parseFloat(store.get("govsite.a11y.zoom") || "1");
    var setZoom = function (z) {
      zoom = Math.min(2, Math.max(1, Math.round(z * 10) / 10));
      root.style.fontSize = zoom === 1 ? "" : (zoom * 100) + "%";
      store.set("govsite.a11y.zoom", String(zoom));
    };
    var setContrast = function (on) { root.classList.toggle("a11y-contrast", on); store.set("govsite.a11y.contrast", on ? "1" : "0"); };
    var build = function () {
      bar = document.createElement("div");
      bar.className = "a11y-bar"; bar.setAttribute("role", "toolbar"); bar.setAttribute("aria-label", "无障碍工具条");
      [["放大", function () { setZoom(zoom + 0.1); }], ["缩小", function () { setZoom(zoom - 0.1); }],
       ["高对比度", function () { setContrast(!root.classList.contains("a11y-contrast")); }],
       ["重置", function () { setZoom(1); setContrast(false); }],
       ["关闭工具条", function () { show(false); }]].forEach(function (item) {
        var b = document.createElement("button"); b.type = "button"; b.textContent = item[0];
        b.addEventListener("click", item[1]); bar.appendChild(b);
      });
      document.body.insertBefore(bar, document.body.firstChild);
    };
    var show = function (on) {
      if (on && !bar) { build(); }
      if (bar) { bar.hidden = !on; }
      toggle.setAttribute("aria-pressed", String(on));
      store.set("govsite.a11y.open", on ? "1" : "0");
    };
    toggle.hidden = false;
    toggle.addEventListener("click", function () { show(toggle.getAttribute("aria-pressed") !== "true"); });
    if (store.get("govsite.a11y.open") === "1") { show(true); }
    setZoom(zoom);
    setContrast(store.get("govsite.a11y.contrast") === "1");
  }
})();
