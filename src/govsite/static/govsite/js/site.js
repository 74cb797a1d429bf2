/* govsite public pages: small progressive enhancements. Every feature works or degrades without it. */
(function () {
  "use strict";
  var store = {
    get: function (k) { try { return window.localStorage.getItem(k); } catch (e) { return null; } },
    set: function (k, v) { try { window.localStorage.setItem(k, v); } catch (e) { /* private mode */ } }
  };
  var settings = function () { try { return JSON.parse(store.get("govsite.a11y")) || {}; } catch (e) { return {}; } };

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

  // 朗读全文: the browser's own speech synthesis, one paragraph at a time (no network, no plug-in).
  var synth = window.speechSynthesis;
  document.querySelectorAll(".read-aloud").forEach(function (b) {
    if (!synth || !window.SpeechSynthesisUtterance) { return; }
    var label = b.textContent, reading = false;
    var stop = function () { reading = false; synth.cancel(); b.textContent = label; };
    var blocks = function () {
      var out = [];
      document.querySelectorAll(b.dataset.read).forEach(function (el) {
        var parts = el.querySelectorAll("p, li, h2, h3, h4, td, th");
        (parts.length ? parts : [el]).forEach(function (p) { if (p.textContent.trim()) { out.push(p.textContent.trim()); } });
      });
      return out;
    };
    b.hidden = false;
    b.addEventListener("click", function () {
      if (reading) { stop(); return; }
      var queue = blocks(), rate = Number(settings().rate) || 1;
      reading = true; b.textContent = "停止朗读"; synth.cancel();
      var next = function () {
        if (!reading) { return; }
        if (!queue.length) { stop(); return; }
        var u = new window.SpeechSynthesisUtterance(queue.shift());
        u.lang = "zh-CN"; u.rate = rate; u.onend = next; u.onerror = stop;
        synth.speak(u);
      };
      next();
    });
    window.addEventListener("pagehide", stop);
  });

  // 打印本页
  document.querySelectorAll(".print-page").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });

  // 第 N 页，共 M 页（共 K 条） on archive list pages. The numbers change with every new article but an
  // archive page's file never does (stable pagination), so they come from the column's front page.
  document.querySelectorAll(".list-position[data-archive-page]").forEach(function (el) {
    if (!window.fetch || !window.DOMParser) { return; }
    fetch(el.dataset.front, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var front = doc.querySelector(".list-position[data-list-total]");
        if (!front) { return; }
        var total = Number(front.dataset.listTotal), perPage = Number(front.dataset.perPage);
        var archives = Math.max(0, Math.floor(total / perPage) - 1), number = Number(el.dataset.archivePage);
        if (!perPage || number < 1 || number > archives) { return; }
        el.textContent = "第 " + (archives - number + 2) + " 页，共 " + (archives + 1) + " 页（共 " + total + " 条）";
        el.hidden = false;
      }, function () { /* offline: the date range above still says where the reader is */ });
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

  // 无障碍浏览: the toolbar (versions/static/versions/toolbar.js + .css) is loaded on demand, only
  // when the reader asks for it (button or Alt+Shift+A) or left it open on an earlier page.
  var toggle = document.querySelector("[data-a11y-toolbar]");
  if (toggle) {
    var loading = false;
    var withToolbar = function (then) {
      if (window.govsiteToolbar) { then(window.govsiteToolbar); return; }
      if (loading) { return; }
      loading = true;
      var css = document.createElement("link");
      css.rel = "stylesheet"; css.href = toggle.dataset.a11yCss; css.dataset.a11yOwn = "";
      document.head.appendChild(css);
      var js = document.createElement("script");
      js.src = toggle.dataset.a11yToolbar;
      js.onload = function () { then(window.govsiteToolbar); };
      js.onerror = function () { loading = false; };
      document.head.appendChild(js);
    };
    var press = function () { withToolbar(function (t) { t.toggle(true); }); };
    toggle.hidden = false;
    toggle.addEventListener("click", press);
    document.addEventListener("keydown", function (e) {
      if (e.altKey && e.shiftKey && e.code === "KeyA") { e.preventDefault(); press(); }
    });
    if (settings().open) { withToolbar(function (t) { t.toggle(false, true); }); }
  }
  // 焦点图: rotate the slides every 5 s; pausable, stops on focus or hover, never under
  // prefers-reduced-motion; the list of links below chooses a slide (and works without script).
  document.querySelectorAll("[data-focus]").forEach(function (box) {
    var slides = box.querySelectorAll(".focus-slide");
    var links = box.querySelectorAll("[data-focus-slide]");
    var pause = box.querySelector(".focus-pause");
    if (slides.length < 2) { return; }
    var current = 0, timer = null, paused = false;
    var show = function (i) {
      current = (i + slides.length) % slides.length;
      slides.forEach(function (s, j) { s.hidden = j !== current; });
      links.forEach(function (a, j) { if (j === current) { a.setAttribute("aria-current", "true"); } else { a.removeAttribute("aria-current"); } });
    };
    var stop = function () { if (timer) { window.clearInterval(timer); timer = null; } };
    var start = function () {
      stop();
      var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      if (!paused && !still) { timer = window.setInterval(function () { show(current + 1); }, 5000); }
    };
    links.forEach(function (a, j) {
      a.addEventListener("mouseenter", function () { show(j); });
      a.addEventListener("focus", function () { show(j); });
    });
    box.addEventListener("mouseenter", stop);
    box.addEventListener("mouseleave", start);
    box.addEventListener("focusin", stop);
    box.addEventListener("focusout", start);
    if (pause) {
      pause.hidden = false;
      pause.addEventListener("click", function () {
        paused = !paused;
        pause.setAttribute("aria-pressed", String(paused));
        pause.textContent = paused ? "继续轮播" : "暂停轮播";
        if (paused) { stop(); } else { start(); }
      });
    }
    show(0);
    start();
  });
})();
