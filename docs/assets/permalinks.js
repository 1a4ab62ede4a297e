/* Clause permalinks: 复制引用 (copy citation) buttons, highlighting of the linked clause, and aliases for
 * anchors that moved between builds (api/aliases.json, written by converter/render/wenhao.py).
 *
 * - Every h2–h6 with data-cite gets a real <button> after its ¶ link; it copies
 *   `<data-cite> <page URL>#<id>`. dl.gb-doc (document) and dl.gb-cover (issue) get one after the panel.
 * - Where the printed page is known, the citation adds it: `<data-cite>，载《…公报》2021年第4期第5页 <URL>`.
 *   A document's page is its panel's data-print-cite; a clause's is that of the page note (.gb-page)
 *   before it, and only when the panel says every page's beginning is marked (data-page-cite).
 * - The page URL is the canonical link when it is on the same origin as the page, else origin + pathname
 *   (a local preview or a mirror copies links that work where the reader is).
 * - The result is announced through one aria-live region ("已复制").
 * - Opening a URL with #id, or changing the hash, flashes the clause (class gb-flash; :target styles stay).
 *   An id that is not on the page is looked up in api/aliases.json and replaced by its new anchor.
 * - Works on plain page loads and, when Material's instant navigation is on, through its document$.
 */
(function () {
  "use strict";

  var GAZETTE = "宁夏回族自治区人民政府公报";
  var COPIED = "已复制";
  var FAILED = "复制失败，请手动选择并复制";
  var FLASH_MS = 2600;
  var script = document.currentScript;
  // Site root from this script's own address (…/assets/permalinks.js), independent of the theme.
  var root = script && script.src ? new URL("../", script.src) : new URL("/", location.href);
  var aliases = null;

  function pageUrl() {
    var canonical = document.querySelector('link[rel="canonical"]');
    if (canonical && canonical.href) {
      try {
        var url = new URL(canonical.href, location.href);
        if (url.origin === location.origin) return url.origin + url.pathname;
      } catch (e) { /* a malformed canonical link: use the location */ }
    }
    var path = location.pathname.replace(/index\.html$/, "");
    if (!location.origin || location.origin === "null") return location.href.split("#")[0];
    return location.origin + path;
  }

  /* Site-relative page URL (`2023/06/nzbf-2023-13/`), the key of api/aliases.json. */
  function pageKey() {
    var path = location.pathname.replace(/index\.html$/, "");
    return path.indexOf(root.pathname) === 0 ? decodeURI(path.slice(root.pathname.length)) : path;
  }

  function liveRegion() {
    var live = document.getElementById("gb-live");
    if (!live) {
      live = document.createElement("div");
      live.id = "gb-live";
      live.className = "gb-visually-hidden";
      live.setAttribute("role", "status");
      live.setAttribute("aria-live", "polite");
      live.setAttribute("aria-atomic", "true");
      document.body.appendChild(live);
    }
    return live;
  }

  function announce(message) {
    var live = liveRegion();
    live.textContent = "";
    // A change after an empty region is announced even when the same message repeats.
    window.setTimeout(function () { live.textContent = message; }, 60);
  }

  function legacyCopy(text) {
    return new Promise(function (resolve, reject) {
      var active = document.activeElement;
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "gb-visually-hidden";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (active && typeof active.focus === "function") active.focus();
      if (ok) resolve(); else reject(new Error("execCommand copy failed"));
    });
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return legacyCopy(text); });
    }
    return legacyCopy(text);
  }

  function issueCite(cover) {
    if (cover.dataset.cite) return cover.dataset.cite;
    // Until the cover carries data-cite: the h1 reads "宁夏回族自治区人民政府公报 2023年第6期".
    var h1 = document.querySelector(".md-content h1");
    var text = h1 ? h1.textContent.replace("¶", "").trim() : "";
    return text.indexOf(GAZETTE) === 0 ? "《" + GAZETTE + "》" + text.slice(GAZETTE.length).trim() : text;
  }

  /* `，载《…公报》2021年第4期第5页` for a clause heading, or "" when its printed page is not known. */
  function clausePrint(heading) {
    var panel = document.querySelector("dl.gb-doc[data-page-cite]");
    if (!panel) return "";
    var page = null;
    Array.prototype.forEach.call(document.querySelectorAll(".md-content .gb-page[data-page]"), function (note) {
      if (note.compareDocumentPosition(heading) & Node.DOCUMENT_POSITION_FOLLOWING) page = note.getAttribute("data-page");
    });
    return page ? "，载" + panel.getAttribute("data-page-cite") + "第" + page + "页" : "";
  }

  function citation(button) {
    var kind = button.getAttribute("data-gb-copy");
    if (kind === "clause") {
      var heading = button.closest("[data-cite]");
      return heading.getAttribute("data-cite") + clausePrint(heading) + " " + pageUrl() + "#" + heading.id;
    }
    if (kind === "issue") return issueCite(document.querySelector("dl.gb-cover")) + " " + pageUrl();
    var panel = document.querySelector("dl.gb-doc");
    var print = panel.getAttribute("data-print-cite");
    return panel.getAttribute("data-cite") + (print ? "，载" + print : "") + " " + pageUrl();
  }

  function button(kind, label) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "gb-copy-cite";
    b.setAttribute("data-gb-copy", kind);
    b.setAttribute("aria-label", label);
    b.title = label;
    b.textContent = "复制引用";
    return b;
  }

  function panelButton(panel, kind, label) {
    if (!panel || (panel.nextElementSibling && panel.nextElementSibling.classList.contains("gb-cite-actions"))) return;
    var actions = document.createElement("div");
    actions.className = "gb-cite-actions";
    actions.appendChild(button(kind, label));
    panel.insertAdjacentElement("afterend", actions);
  }

  function addButtons() {
    var headings = document.querySelectorAll(
      ["h2", "h3", "h4", "h5", "h6"].map(function (h) { return ".md-content " + h + "[data-cite][id]"; }).join(", ")
    );
    Array.prototype.forEach.call(headings, function (heading) {
      if (heading.querySelector(".gb-copy-cite")) return;
      heading.appendChild(button("clause", "复制本条引用"));
    });
    panelButton(document.querySelector("dl.gb-doc[data-cite]"), "document", "复制本文件引用");
    panelButton(document.querySelector("dl.gb-cover"), "issue", "复制本期引用");
  }

  function onClick(event) {
    var b = event.target.closest ? event.target.closest("button.gb-copy-cite") : null;
    if (!b) return;
    copyText(citation(b)).then(
      function () {
        b.textContent = COPIED;
        b.classList.add("gb-copied");
        window.setTimeout(function () { b.textContent = "复制引用"; b.classList.remove("gb-copied"); }, 2000);
        announce(COPIED);
      },
      function () { announce(FAILED); }
    );
  }

  function loadAliases() {
    if (!aliases) {
      aliases = fetch(new URL("api/aliases.json", root).href)
        .then(function (response) { return response.ok ? response.json() : {}; })
        .catch(function () { return {}; });
    }
    return aliases;
  }

  function inViewport(el) {
    var box = el.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  }

  function flash(el) {
    el.classList.remove("gb-flash");
    void el.offsetWidth; // restart the animation when the same clause is linked again
    el.classList.add("gb-flash");
    if (!inViewport(el)) el.scrollIntoView({ block: "start" });
    window.setTimeout(function () { el.classList.remove("gb-flash"); }, FLASH_MS);
  }

  function showTarget() {
    if (location.hash.length < 2) return;
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { id = location.hash.slice(1); }
    var el = document.getElementById(id);
    if (el) { flash(el); return; }
    loadAliases().then(function (map) {
      var moved = map[pageKey()] && map[pageKey()][id];
      // location.replace is a fragment navigation: :target follows and no history entry is added;
      // the hashchange it fires flashes the clause.
      if (moved && document.getElementById(moved)) location.replace("#" + moved);
    });
  }

  function init() {
    addButtons();
    showTarget();
  }

  document.addEventListener("click", onClick);
  window.addEventListener("hashchange", showTarget);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
