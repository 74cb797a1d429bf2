/* 无障碍工具条 (assistive toolbar), loaded on demand by govsite/js/site.js.
   First-party and offline: speech is the browser's own speechSynthesis, and the only file it ever
   fetches is our own pinyin table (pinyin.js), when 大字幕 is switched on. It works under
   "script-src 'self'; style-src 'self'": no inline markup styles, only element.style from script.
   Settings live in localStorage["govsite.a11y"] and apply on every page while the toolbar is open;
   closing it puts the page back as it was, and opening it again restores the reader's settings. */
(function () {
  "use strict";
  var KEY = "govsite.a11y";
  var doc = document, root = doc.documentElement, body = doc.body;
  var toggleButton = doc.querySelector("[data-a11y-toolbar]");
  var synth = window.speechSynthesis;
  var canSpeak = !!(synth && window.SpeechSynthesisUtterance);
  var DEFAULTS = { open: false, sound: false, mode: "point", rate: 1, zoom: 1, scheme: "",
    cursor: false, cross: false, guide: false, caption: false, plain: false };
  var SCHEMES = [["", "标准配色"], ["black-yellow", "黑底黄字"], ["black-white", "黑底白字"],
    ["blue-white", "蓝底白字"], ["yellow-black", "黄底黑字"]];
  var RATES = [0.5, 0.75, 1, 1.25, 1.5, 2];
  var FLAGS = [["cursor", "大鼠标", "M"], ["cross", "十字线", "X"], ["guide", "阅读线", "L"],
    ["caption", "大字幕", "B"], ["plain", "纯文本", "T"]];
  var POINT = "a[href], button, summary, select, input, textarea, img[alt], h1, h2, h3, h4, h5, h6, " +
    "p, li, dt, dd, th, td, caption, figcaption, label, time";
  var BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, dt, dd, th, td, caption, figcaption, summary";
  var s = load(), ui = {}, pinyin = null, speaking = null, lastPointed = null, hoverTimer = 0;

  function load() {
    var saved = {}, out = {};
    try { saved = JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { saved = {}; }
    Object.keys(DEFAULTS).forEach(function (k) { out[k] = k in saved ? saved[k] : DEFAULTS[k]; });
    return out;
  }
  function save() { try { localStorage.setItem(KEY, JSON.stringify(s)); } catch (e) { /* private mode */ } }
  function make(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }
    return e;
  }
  function say(message) { ui.status.textContent = message; }

  // ---- Building the toolbar ------------------------------------------------------------------
  function button(label, key, onClick) {
    var b = make("button", "", label);
    b.type = "button";
    if (key) { b.setAttribute("aria-keyshortcuts", "Alt+Shift+" + key); }
    b.addEventListener("click", onClick);
    ui.tools.appendChild(b);
    return b;
  }
  function select(label, options, value, onChange) {
    var wrap = make("label", "a11y-select", label), sel = make("select");
    options.forEach(function (o) { var opt = make("option", "", o[1]); opt.value = String(o[0]); sel.appendChild(opt); });
    sel.value = String(value);
    sel.addEventListener("change", function () { onChange(sel.value); });
    wrap.appendChild(sel);
    ui.tools.appendChild(wrap);
    return sel;
  }
  function build() {
    ui.bar = make("section", "a11y-bar");
    ui.bar.setAttribute("aria-label", "无障碍辅助工具");
    ui.tools = make("div", "a11y-tools");
    ui.tools.setAttribute("role", "toolbar");
    ui.tools.setAttribute("aria-label", "无障碍工具条");
    ui.bar.appendChild(ui.tools);
    ui.sound = button("声音", "S", function () { set("sound", !s.sound); });
    ui.point = button("指读", "R", function () { setMode("point"); });
    ui.continuous = button("连读", "R", function () { setMode("continuous"); });
    ui.rate = select("语速", RATES.map(function (r) { return [r, r + "倍"]; }), s.rate, function (v) {
      set("rate", Number(v));
    });
    ui.bigger = button("放大", "=", function () { zoom(1); });
    ui.smaller = button("缩小", "-", function () { zoom(-1); });
    ui.scheme = select("配色", SCHEMES, s.scheme, function (v) { set("scheme", v); });
    FLAGS.forEach(function (f) { ui[f[0]] = button(f[1], f[2], function () { set(f[0], !s[f[0]]); }); });
    button("重置", "0", reset);
    ui.helpButton = button("帮助", "H", function () { showHelp(ui.help.hidden); });
    ui.helpButton.setAttribute("aria-expanded", "false");
    ui.helpButton.setAttribute("aria-controls", "a11y-help");
    button("关闭工具条", "A", function () { toggle(true, false); });
    if (!canSpeak) {
      [ui.sound, ui.point, ui.continuous, ui.rate].forEach(function (c) { c.disabled = true; });
      ui.sound.title = "此浏览器不支持语音朗读";
    }
    // The help is a region of its own after the bar (not inside the sticky bar, where it would cover the page).
    ui.help = make("section", "a11y-help");
    ui.help.id = "a11y-help";
    ui.help.hidden = true;
    ui.help.setAttribute("aria-label", "无障碍工具条帮助");
    ui.help.appendChild(make("p", "", "在工具条内可用 Tab 键或左右方向键移动，按回车键或空格键使用。快捷键（打开工具条后可用）："));
    var list = make("dl");
    [["Alt+Shift+A", "打开或关闭工具条"], ["Alt+Shift+S", "声音开关：开启后，鼠标指向或键盘选中的内容会被朗读"],
     ["Alt+Shift+R", "切换阅读方式：指读（只读所指内容）/ 连读（从所指处一直读下去）"],
     ["Alt+Shift+, 和 Alt+Shift+.", "语速减慢 / 加快"], ["Alt+Shift+= 和 Alt+Shift+-", "放大 / 缩小文字"],
     ["Alt+Shift+C", "切换配色"], ["Alt+Shift+M", "大鼠标"], ["Alt+Shift+X", "十字线"], ["Alt+Shift+L", "阅读线"],
     ["Alt+Shift+B", "大字幕（显示所指文字及拼音）"], ["Alt+Shift+T", "纯文本"], ["Alt+Shift+0", "重置全部设置"],
     ["Alt+Shift+H", "帮助"], ["Esc", "停止朗读，关闭帮助"]].forEach(function (row) {
      list.appendChild(make("dt", "", row[0]));
      list.appendChild(make("dd", "", row[1]));
    });
    ui.help.appendChild(list);
    ui.status = make("p", "a11y-status");
    ui.status.setAttribute("role", "status");
    ui.bar.appendChild(ui.status);
    var skip = doc.querySelector(".skip-link");
    body.insertBefore(ui.bar, skip ? skip.nextSibling : body.firstChild);
    ui.bar.after(ui.help);

    ui.crossH = overlay("a11y-cross a11y-cross-h");
    ui.crossV = overlay("a11y-cross a11y-cross-v");
    ui.guideLine = overlay("a11y-guide");
    ui.captionBar = overlay("a11y-caption");
    ui.tools.addEventListener("keydown", arrows);
  }
  function overlay(cls) {
    var e = make("div", cls);
    e.setAttribute("aria-hidden", "true");  // visual aids only; screen readers already read the page
    e.hidden = true;
    body.appendChild(e);
    return e;
  }
  function arrows(e) {
    if (e.target.tagName === "SELECT" || ["ArrowLeft", "ArrowRight", "Home", "End"].indexOf(e.key) < 0) { return; }
    var items = Array.prototype.filter.call(ui.tools.querySelectorAll("button, select"), function (c) { return !c.disabled; });
    var i = items.indexOf(e.target.closest("button, select"));
    var next = { ArrowLeft: i - 1, ArrowRight: i + 1, Home: 0, End: items.length - 1 }[e.key];
    items[(next + items.length) % items.length].focus();
    e.preventDefault();
  }

  // ---- Settings ------------------------------------------------------------------------------
  var NAMES = { sound: "声音", cursor: "大鼠标", cross: "十字线", guide: "阅读线", caption: "大字幕", plain: "纯文本" };
  function set(key, value) {
    s[key] = value;
    apply();
    if (key === "rate") { say("语速 " + value + " 倍"); } else if (key === "scheme") {
      say("配色：" + SCHEMES.filter(function (o) { return o[0] === value; })[0][1]);
    } else { say(NAMES[key] + (value ? "已开启" : "已关闭")); }
  }
  function setMode(mode) {
    clearTimeout(hoverTimer);
    s.mode = mode;
    apply();
    say(mode === "point" ? "阅读方式：指读" : "阅读方式：连读");
    if (mode === "continuous" && s.sound) {  // read on from the reader's place, or from the start of the content
      var from = [doc.activeElement, lastPointed].filter(function (e) { return e && e !== body && !ui.bar.contains(e); })[0];
      speakFrom(from || doc.querySelector("main") || body);
    }
  }
  function zoom(step) {
    s.zoom = Math.min(2, Math.max(1, Math.round((s.zoom + step / 10) * 10) / 10));
    apply();
    say("文字大小 " + Math.round(s.zoom * 100) + "%");
  }
  function reset() {
    Object.keys(DEFAULTS).forEach(function (k) { if (k !== "open") { s[k] = DEFAULTS[k]; } });
    apply();
    say("已恢复默认设置");
  }
  function pressed(b, on) { b.setAttribute("aria-pressed", String(!!on)); }

  function apply() {
    var on = s.open;
    root.classList.toggle("a11y-open", on);
    root.classList.toggle("a11y-cursor", on && s.cursor);
    if (on && s.zoom !== 1) { root.style.setProperty("--a11y-zoom", String(s.zoom)); } else { root.style.removeProperty("--a11y-zoom"); }
    if (on && s.scheme) { root.setAttribute("data-a11y-scheme", s.scheme); } else { root.removeAttribute("data-a11y-scheme"); }
    plain(on && s.plain);
    ui.crossH.hidden = ui.crossV.hidden = !(on && s.cross);
    ui.guideLine.hidden = !(on && s.guide);
    ui.captionBar.hidden = !(on && s.caption);
    if (on && s.caption) { loadPinyin(); }
    room();
    if (!(on && s.sound)) { stopSpeaking(); }
    pressed(ui.sound, s.sound);
    pressed(ui.point, s.mode === "point");
    pressed(ui.continuous, s.mode === "continuous");
    FLAGS.forEach(function (f) { pressed(ui[f[0]], s[f[0]]); });
    ui.rate.value = String(s.rate);
    ui.scheme.value = s.scheme;
    ui.bigger.disabled = s.zoom >= 2;
    ui.smaller.disabled = s.zoom <= 1;
    // Keep what has focus in view below the sticky toolbar (WCAG 2.4.11).
    root.style.scrollPaddingTop = on && getComputedStyle(ui.bar).position === "sticky" ? ui.bar.offsetHeight + "px" : "";
    save();
  }

  // 纯文本: switch off the site's stylesheets (the toolbar keeps its own) and show images as their text.
  function plain(on) {
    root.classList.toggle("a11y-plain", on);
    doc.querySelectorAll('link[rel="stylesheet"]:not([data-a11y-own])').forEach(function (l) { l.disabled = on; });
    doc.querySelectorAll(".a11y-alt").forEach(function (e) { e.remove(); });
    if (on) {
      doc.querySelectorAll("main img[alt]").forEach(function (img) {
        if (img.alt) { img.after(make("span", "a11y-alt", "［图片：" + img.alt + "］")); }
      });
    }
  }

  // ---- 声音: 指读 and 连读 with the browser's speech synthesis -------------------------------------
  // What speech says for an element: its text, and what kind of thing it is (not for the caption: bare).
  function nameOf(e, bare) {
    if (e.tagName === "IMG") { return e.alt ? (bare ? "" : "图片：") + e.alt : ""; }
    var text = (e.getAttribute("aria-label") || e.textContent || "").replace(/\s+/g, " ").trim();
    if (/^(SELECT|INPUT|TEXTAREA)$/.test(e.tagName)) {
      var label = e.labels && e.labels[0] ? e.labels[0].firstChild.textContent : "";
      var option = e.tagName === "SELECT" ? e.options[e.selectedIndex] : null;
      return label + " " + (option ? option.text : e.value || "");
    }
    if (bare) { return text; }
    if (e.matches("a[href]")) { return "链接：" + text; }
    if (e.matches("button, summary")) { return "按钮：" + text + (e.getAttribute("aria-pressed") === "true" ? "，已开启" : ""); }
    if (/^H[1-6]$/.test(e.tagName)) { return "标题：" + text; }
    return text;
  }
  function visible(e) { return e.getClientRects().length > 0 && !e.closest("[aria-hidden='true']"); }
  function blocksFrom(start) {
    return Array.prototype.filter.call(body.querySelectorAll(BLOCKS), function (b) {
      return !ui.bar.contains(b) && visible(b) && !b.querySelector(BLOCKS) &&
        (b === start || b.contains(start) || (start.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING));
    });
  }
  function mark(e) {
    var old = doc.querySelector(".a11y-reading");
    if (old) { old.classList.remove("a11y-reading"); }
    if (e) { e.classList.add("a11y-reading"); }
  }
  function speak(queue) {
    stopSpeaking();
    var token = {};
    speaking = token;
    (function next() {
      if (speaking !== token) { return; }
      var e = queue.shift();
      mark(e || null);
      if (!e) { speaking = null; return; }
      var text = nameOf(e);
      if (!text) { next(); return; }
      var u = new window.SpeechSynthesisUtterance(text);
      u.lang = "zh-CN";
      u.rate = s.rate;
      u.onend = next;
      u.onerror = function () { if (speaking === token) { stopSpeaking(); } };
      synth.speak(u);
    })();
  }
  function speakFrom(e) {
    if (!canSpeak || !s.open || !s.sound || !e) { return; }
    // The toolbar's own controls are only ever named, never read on from.
    speak(s.mode === "continuous" && !ui.bar.contains(e) ? blocksFrom(e) : [e]);
  }
  function stopSpeaking() {
    speaking = null;
    mark(null);
    if (canSpeak) { synth.cancel(); }
  }

  // ---- 大字幕 with 拼音 -------------------------------------------------------------------------
  function loadPinyin() {
    if (pinyin || ui.pinyinScript) { return; }
    var ready = function () {
      pinyin = {};
      window.govsitePinyin.split("|").forEach(function (group) {
        var parts = group.split(":");
        Array.from(parts[1]).forEach(function (ch) { pinyin[ch] = parts[0]; });
      });
      if (lastPointed) { showCaption(lastPointed); }
    };
    if (window.govsitePinyin) { ready(); return; }
    ui.pinyinScript = make("script");
    ui.pinyinScript.src = toggleButton.dataset.a11yPinyin;
    ui.pinyinScript.onload = ready;
    doc.head.appendChild(ui.pinyinScript);
  }
  function showCaption(e) {
    if (!s.open || !s.caption) { return; }
    var text = nameOf(e, true);
    if (text.length > 80) { text = text.slice(0, 80) + "……"; }
    var bar = ui.captionBar;
    bar.textContent = "";
    var plainText = "";
    Array.from(text).forEach(function (ch) {
      var reading = pinyin && pinyin[ch];
      if (!reading) { plainText += ch; return; }
      if (plainText) { bar.appendChild(doc.createTextNode(plainText)); plainText = ""; }
      var ruby = make("ruby", "", ch), rt = make("rt", "", reading);
      ruby.appendChild(rt);
      bar.appendChild(ruby);
    });
    if (plainText) { bar.appendChild(doc.createTextNode(plainText)); }
    room();
  }

  // The caption bar covers the bottom of the window: keep the end of the page, and whatever has
  // focus, above it (WCAG 2.4.11).
  function room() {
    var height = s.open && s.caption ? ui.captionBar.offsetHeight + "px" : "";
    body.style.paddingBottom = height;
    root.style.scrollPaddingBottom = height;
  }

  // ---- Pointer, focus and keyboard -----------------------------------------------------------
  function follow(x, y, height) {
    ui.crossH.style.top = y + "px";
    ui.crossV.style.left = x + "px";
    ui.guideLine.style.top = (y - height / 2) + "px";
    ui.guideLine.style.height = height + "px";
  }
  function lineHeight(e) { return Math.max(24, parseFloat(getComputedStyle(e).lineHeight) || 0); }
  function pointed(e) {
    var target = e && e.closest ? e.closest(POINT) : null;
    return target && !target.closest("[aria-hidden='true']") ? target : null;
  }
  doc.addEventListener("mousemove", function (e) {
    if (s.open && (s.cross || s.guide)) { follow(e.clientX, e.clientY, lineHeight(e.target.nodeType === 1 ? e.target : body)); }
  });
  doc.addEventListener("mouseover", function (e) {
    var target = pointed(e.target);
    if (!s.open || !target || target === lastPointed) { return; }
    lastPointed = target;
    showCaption(target);
    clearTimeout(hoverTimer);
    hoverTimer = setTimeout(function () { speakFrom(target); }, 300);  // not while the pointer is just passing over
  });
  doc.addEventListener("focusin", function (e) {
    if (!s.open) { return; }
    var target = e.target.closest ? e.target : null;
    if (!target || target === body || target === root) { return; }
    clearTimeout(hoverTimer);
    lastPointed = target;
    showCaption(target);
    var r = target.getBoundingClientRect();
    follow(r.left + r.width / 2, r.top + r.height / 2, Math.max(r.height + 8, 24));
    speakFrom(target);
  });
  var SHORTCUTS = {
    KeyS: function () { set("sound", !s.sound); },
    KeyR: function () { setMode(s.mode === "point" ? "continuous" : "point"); },
    Comma: function () { set("rate", RATES[Math.max(0, RATES.indexOf(s.rate) - 1)]); },
    Period: function () { set("rate", RATES[Math.min(RATES.length - 1, RATES.indexOf(s.rate) + 1)]); },
    Equal: function () { zoom(1); },
    Minus: function () { zoom(-1); },
    KeyC: function () {
      var i = SCHEMES.map(function (o) { return o[0]; }).indexOf(s.scheme);
      set("scheme", SCHEMES[(i + 1) % SCHEMES.length][0]);
    },
    Digit0: reset,
    KeyH: function () { showHelp(ui.help.hidden); }
  };
  FLAGS.forEach(function (f) { SHORTCUTS["Key" + f[2]] = function () { set(f[0], !s[f[0]]); }; });
  doc.addEventListener("keydown", function (e) {
    if (!s.open) { return; }
    if (e.key === "Escape") {
      stopSpeaking();
      if (!ui.help.hidden) { showHelp(false); ui.helpButton.focus(); }
      return;
    }
    if (e.altKey && e.shiftKey && SHORTCUTS[e.code]) { e.preventDefault(); SHORTCUTS[e.code](); }
  });
  window.addEventListener("pagehide", stopSpeaking);
  window.addEventListener("resize", function () { if (s.open) { apply(); } });

  function showHelp(on) {
    ui.help.hidden = !on;
    ui.helpButton.setAttribute("aria-expanded", String(on));
  }

  // Open (focus moves into the toolbar when the reader opened it) or close (focus goes back).
  function toggle(moveFocus, open) {
    s.open = open === undefined ? !s.open : open;
    ui.bar.hidden = !s.open;
    toggleButton.setAttribute("aria-expanded", String(s.open));
    if (!s.open) { showHelp(false); }
    apply();
    if (moveFocus) { (s.open ? ui.tools.querySelector("button:not([disabled])") : toggleButton).focus(); }
  }

  build();
  window.govsiteToolbar = { toggle: toggle };
})();
