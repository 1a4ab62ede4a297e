/* gongbao: the header search box, searched with Pagefind (site/pagefind/, built by converter/publish/search.py).
 *
 * - Pagefind's JS (and its index) is loaded on first use only: a reader who never searches pays nothing.
 *   Focusing the box starts loading it, so that it is ready by the time the first word is typed.
 * - A word that arrives whole (an input method's commit, a paste) is searched at once; key-by-key typing
 *   waits for a pause (DEBOUNCE), while Pagefind fetches the index chunks for what is typed so far.
 * - A result links to the clause (heading anchor) whose section matches best, not to the top of the page,
 *   with Pagefind's excerpt (<mark> around the hits) and up to two further matching clauses.
 * - Only documents that contain every typed phrase count as matches (see `find`); ranking is Pagefind's
 *   (titles and headings above body text), and among results of (nearly) equal score the newer issue
 *   comes first. A typed 文号 finds its document through the key word in the page's metadata.
 * - No match: a clear empty state, then documents that contain some of the words.
 * - Keys: / or s opens the box, Esc closes it, ↓ ↑ walk the results, Enter opens the first one.
 * - The target page marks the query's words (?q=… in the link) in the text.
 */
(() => {
  "use strict";

  const root = document.querySelector(".gb-search");
  if (!root) return;
  const toggle = document.getElementById("__search");
  const form = root.querySelector("form");
  const input = root.querySelector(".md-search__input");
  const meta = root.querySelector(".md-search-result__meta");
  const list = root.querySelector(".md-search-result__list");
  const resultBox = root.querySelector(".md-search-result");
  const initialMeta = meta.textContent;

  const PAGE = 5;           // results fetched at a time: each fetches one fragment (≈ 3–30 KB)
  const DEBOUNCE = 120;     // ms without a keystroke before a typed (not committed or pasted) query is searched
  const MORE_CLAUSES = 2;   // further matching clauses listed under a result
  const TIE = 0.02;         // scores within 2% count as equal: the newer issue wins
  const VERIFY = 20;        // ranked results checked by their text when a phrase search cannot be trusted

  const siteRoot = new URL((root.dataset.gbBase || ".") + "/", location.href);
  let pagefind = null;
  let generation = 0;

  function loadPagefind() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", siteRoot).href).then(async (pf) => {
        await pf.options({ baseUrl: siteRoot.pathname, excerptLength: 36 });
        await pf.init();  // starts Pagefind's worker, which fetches the index's metadata and WebAssembly
        warmSegmenter();
        return pf;
      });
      pagefind.catch(() => { pagefind = null; });
    }
    return pagefind;
  }

  /* Pagefind splits a Chinese query into words with Intl.Segmenter. Its first use in a page loads ICU's
   * Chinese dictionary (≈ 35 ms), which the page's threads share: load it while the reader types, in
   * this thread, and Pagefind's worker finds it loaded. */
  function warmSegmenter() {
    try {
      for (const _ of new Intl.Segmenter("zh-CN", { granularity: "word" }).segment("宁夏回族自治区人民政府")) { /* load */ }
    } catch (err) { /* no Intl.Segmenter: Pagefind does without it too */ }
  }

  function open() {
    if (toggle && !toggle.checked) toggle.checked = true;
  }

  function close() {
    if (toggle) toggle.checked = false;
    input.blur();
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Pagefind's excerpts are HTML with <mark> around hits; keep only text and <mark>, never markup from
   * the page (a source may contain "<script>" as text). DOMParser's document is inert. */
  function excerpt(html) {
    const p = el("p");
    const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
    for (const node of doc.body.childNodes) {
      if (node.nodeName === "MARK") p.append(el("mark", "", node.textContent));
      else p.append(document.createTextNode(node.textContent));
    }
    return p;
  }

  /* A 文号 typed in any form (宁政办发〔2023〕13号, 宁政办发[2023]13号, 宁政办发2023 13号, 宁政办发 2023 13,
   * full-width digits, 年/第/号 or not): {text: written as converter/docnumber.py writes it, key: the
   * ASCII word converter/render/search.py `wenhao_key` puts in the page's metadata}. Anything else: null. */
  function parseWenhao(query) {
    const m = query.normalize("NFKC").trim().match(
      /^([\p{Script=Han}A-Za-z]{1,8}?)\s*[〔\[(〈【]?\s*((?:19|20)\d{2})\s*年?\s*[〕\])〉】]?\s*第?\s*(\d{1,4})\s*号?$/u);
    if (!m || !(Number(m[3]) > 0)) return null;
    const hex = [...m[1]].map((c) => c.codePointAt(0).toString(16).padStart(5, "0")).join("");
    return { text: `${m[1]}〔${m[2]}〕${Number(m[3])}号`, key: `wh${hex}y${m[2]}n${Number(m[3])}z` };
  }

  const compact = (s) => (s || "").normalize("NFKC").replace(/[\s〔〕\[\]()〈〉【】号]/g, "");

  function sectionScore(sub) {
    return (sub.weighted_locations || []).reduce((sum, loc) => sum + (loc.balanced_score || 0), 0);
  }

  /* Where a result leads: for a 文号, the decision headed by it (人事任免) or the top of the page; for
   * words, the clause (heading anchor) whose section matches best, the page top only when nothing below
   * the title matches. */
  function target(data, wenhao) {
    const subs = [...(data.sub_results || [])].sort((a, b) => sectionScore(b) - sectionScore(a));
    const top = { url: data.url, title: "", excerpt: data.excerpt };
    if (wenhao) {
      // The key is a metadata word, with no location in the text: look the heading up in the anchors.
      const own = compact(data.meta.wenhao) === compact(wenhao.text);
      const headed = (data.anchors || []).find((a) => a.element !== "h1" && compact(a.text) === compact(wenhao.text));
      const best = !own && headed ? { url: `${data.url.split("#")[0]}#${headed.id}`, title: headed.text } : top;
      return { best, more: [] };
    }
    const clauses = subs.filter((s) => s.anchor && s.anchor.element !== "h1" && sectionScore(s) > 0);
    const best = clauses[0] || (subs[0] ? { ...subs[0], title: "" } : top);
    return { best, more: clauses.slice(1, 1 + MORE_CLAUSES) };
  }

  function withQuery(url, query) {
    const [path, hash] = url.split("#");
    return `${path}?q=${encodeURIComponent(query)}${hash ? "#" + hash : ""}`;
  }

  function item(query, data, wenhao) {
    const { best, more } = target(data, wenhao);
    const li = el("li", "md-search-result__item");
    const a = el("a", "md-search-result__link");
    a.href = withQuery(best.url, query);
    a.tabIndex = -1;
    const article = el("article", "md-search-result__article md-typeset");
    article.append(el("div", "md-search-result__icon md-icon"));
    article.append(el("h1", "", data.meta.title || data.url));
    const facts = [data.meta.wenhao, data.meta.issue_label].filter(Boolean).join(" · ");
    if (facts) article.append(el("p", "gb-search-facts", facts));
    if (best.title && best.title !== data.meta.title) article.append(el("p", "gb-search-clause", best.title));
    article.append(excerpt(best.excerpt || data.excerpt || ""));
    a.append(article);
    li.append(a);
    for (const sub of more) {
      const link = el("a", "md-search-result__link gb-search-more");
      link.href = withQuery(sub.url, query);
      link.tabIndex = -1;
      const art = el("article", "md-search-result__article md-typeset");
      art.append(el("h2", "", sub.title));
      art.append(excerpt(sub.excerpt || ""));
      link.append(art);
      li.append(link);
    }
    return li;
  }

  /* Results of (nearly) equal score, in runs: the newer issue goes first within a run. Pagefind's
   * scores are known before any fragment is fetched, so the runs are too. */
  function ties(results) {
    const runs = [];
    for (const r of results) {
      const run = runs[runs.length - 1];
      if (run && (r.score || 0) >= (run[0].score || 0) * (1 - TIE)) run.push(r);
      else runs.push([r]);
    }
    return runs;
  }

  /* Pagefind ranks (titles and headings above body text) but matches loosely: the browser segments the
   * query with Intl.Segmenter, the index was segmented by Pagefind's own dictionary, and a result needs
   * only some of the words. So a result counts as a match when a phrase search ("…") for every
   * space-separated part finds it too; a typed 文号 is looked up by its key word instead.
   * A phrase search finds nothing when the two segmentations disagree (营商环境: 营|商|环境 in the
   * browser, 营商|环境 in the index): for such a part the best VERIFY ranked results are checked
   * against their text instead (their fragments, which showing them fetches anyway). */
  async function find(pf, query) {
    const wenhao = parseWenhao(query);
    if (wenhao) {
      const found = await pf.search(wenhao.key);
      const ranked = found.results.length ? null : await pf.search(query);
      return { wenhao, matches: found.results, loose: ranked ? ranked.results : [] };
    }
    const parts = query.split(/[\s\u3000]+/).map((p) => p.replace(/"/g, "")).filter(Boolean);
    const [ranked, ...phrases] = await Promise.all([pf.search(query), ...parts.map((p) => pf.search(`"${p}"`))]);
    const unsplit = parts.filter((_, k) => !phrases[k].results.length);
    const sets = phrases.filter((s) => s.results.length).map((s) => new Set(s.results.map((r) => r.id)));
    const everywhere = (r) => sets.every((s) => s.has(r.id));
    let matches = ranked.results.filter(everywhere);
    const seen = new Set(matches.map((r) => r.id));
    const byPhrase = phrases.find((s) => s.results.length);
    for (const r of byPhrase ? byPhrase.results : []) {
      if (!seen.has(r.id) && everywhere(r)) { matches.push(r); seen.add(r.id); }
    }
    if (unsplit.length) {
      const candidates = matches.slice(0, VERIFY);
      const texts = await Promise.all(candidates.map((r) => fragment(r).then((d) => squeeze(d.content))));
      matches = candidates.filter((_, k) => unsplit.every((p) => texts[k].includes(squeeze(p))));
      seen.clear();
      for (const r of matches) seen.add(r.id);
    }
    return { wenhao: null, matches, loose: ranked.results.filter((r) => !seen.has(r.id)) };
  }

  /* A result's fragment, fetched once however often it is asked for. */
  const fragments = new WeakMap();
  function fragment(result) {
    if (!fragments.has(result)) fragments.set(result, result.data());
    return fragments.get(result);
  }

  /* Text as compared with a typed phrase: compatibility forms folded, no white space. */
  function squeeze(text) {
    return String(text || "").normalize("NFKC").replace(/\s+/g, "");
  }

  /* Show results PAGE at a time, each as soon as its fragment (one small file per result) is in and
   * the results tied with it are too; a button fetches the next PAGE. The first run of ties is fetched
   * first and the rest once it is shown: Pagefind builds every result's excerpts in one worker thread,
   * so fragments asked for together are ready together, and the first result would wait for all. */
  function showPaged(query, results, wenhao, mine) {
    let shown = 0;
    const next = el("li", "md-search-result__item gb-search-next");
    const button = el("button", "md-button", "显示更多结果");
    button.type = "button";
    next.append(button);
    const more = async () => {
      next.remove();
      const slice = results.slice(shown, shown + PAGE);
      shown += slice.length;
      const runs = ties(slice);
      const pending = new Map();
      const fetch = (run) => { for (const r of run) if (!pending.has(r)) pending.set(r, fragment(r)); };
      fetch(runs[0] || []);
      for (const run of runs) {
        fetch(run);
        const datas = await Promise.all(run.map((r) => pending.get(r)));
        if (mine !== generation) return;
        datas.sort((a, b) => String(b.meta.issue || "").localeCompare(String(a.meta.issue || "")));
        for (const data of datas) list.append(item(query, data, wenhao));
        if (run === runs[0]) fetch(slice);  // the rest of the page, all at once, shown in order
      }
      if (shown < results.length) list.append(next);
    };
    button.addEventListener("click", () => more().catch(() => {
      if (mine === generation) meta.textContent = "搜索暂时不可用，请稍后重试。";
    }));
    return more();
  }

  /* Search for `query` and show the answer; a failure (a fragment or index chunk that cannot be
   * fetched) is said in the box instead of being left as an unhandled rejection. */
  async function search(query) {
    const mine = ++generation;
    try {
      await answer(query, mine);
    } catch (err) {
      if (mine !== generation) return;
      resultBox.classList.add("gb-search-empty");
      meta.textContent = "搜索暂时不可用，请稍后重试。";
    }
  }

  let shownFor = null;  // the query whose answer the list shows (Enter opens its first result)

  async function answer(query, mine) {
    const q = query.trim();
    shownFor = null;
    resultBox.classList.remove("gb-search-empty");
    list.replaceChildren();
    if (!q) {
      meta.textContent = initialMeta;
      return;
    }
    let pf;
    try {
      pf = await loadPagefind();
    } catch (err) {
      meta.textContent = "搜索索引无法加载（请通过网站服务器访问本站，而不是直接打开文件）";
      return;
    }
    const { wenhao, matches, loose } = await find(pf, q);
    if (mine !== generation) return;
    list.replaceChildren();
    shownFor = q;
    if (matches.length) {
      meta.textContent = `找到 ${matches.length} 个文件`;
      await showPaged(q, matches, wenhao, mine);
      return;
    }
    resultBox.classList.add("gb-search-empty");
    const what = wenhao ? `文号为“${wenhao.text}”的文件` : `包含“${q}”的文件`;
    const hint = wenhao ? "本刊可能未刊登该文件。" : "请检查用字，或换用更短的词语、文号（如 宁政办发〔2023〕13号）。";
    meta.textContent = `没有找到${what}。${hint}${loose.length && /\p{Script=Han}/u.test(q) ? "以下文件包含其中部分词语：" : ""}`;
    // Words of which only some occur: worth showing for Chinese text, noise for a stray Latin string.
    if (loose.length && /\p{Script=Han}/u.test(q)) await showPaged(q, loose, null, mine);
  }

  let timer = 0;
  let scheduled = null;
  function schedule(event) {
    const query = input.value;
    if (query === scheduled) return;  // e.g. the input event some browsers send after compositionend
    scheduled = query;
    clearTimeout(timer);
    // A whole word at once: an input method's commit (Chinese is typed so), a paste, autofill. Search it
    // now; the reader is not in the middle of typing it.
    const whole = event.type === "compositionend" || (event.data || "").length > 1
      || /^insertFrom|^insertReplacementText$/.test(event.inputType || "");
    if (whole) {
      search(query);
      return;
    }
    // Fetch the index chunks for the words while the debounce runs (Pagefind's own UI does the same).
    if (pagefind && query.trim()) pagefind.then((pf) => pf.preload(query.trim())).catch(() => {});
    timer = setTimeout(() => search(query), DEBOUNCE);
  }

  input.addEventListener("focus", () => { open(); loadPagefind(); });
  input.addEventListener("input", (event) => { if (!event.isComposing) schedule(event); });
  input.addEventListener("compositionend", schedule);
  form.addEventListener("reset", () => {
    clearTimeout(timer);  // a search still waiting for the pause must not answer for the cleared text
    setTimeout(() => { scheduled = ""; search(""); input.focus(); });
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearTimeout(timer);
    const q = input.value.trim();
    if (shownFor !== q) {  // the list still shows an earlier query's answer: search what is typed first
      scheduled = input.value;
      await search(input.value);
      if (input.value.trim() !== q) return;
    }
    const first = list.querySelector(".md-search-result__link");
    if (first) location.href = first.href;
  });
  if (toggle) {
    toggle.addEventListener("change", () => { if (toggle.checked) input.focus(); });
  }

  const links = () => [...list.querySelectorAll(".md-search-result__link, .gb-search-next button")];
  document.addEventListener("keydown", (event) => {
    if (event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
    const active = document.activeElement;
    const searching = toggle ? toggle.checked : root.contains(active);
    if (!searching) {
      const typing = active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName));
      if (!typing && (event.key === "/" || event.key === "s" || event.key === "f")) {
        event.preventDefault();
        open();
        input.focus();
        input.select();
      }
      return;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const all = links();
      if (!all.length) return;
      event.preventDefault();
      const at = all.indexOf(active);
      const next = event.key === "ArrowDown" ? at + 1 : (at < 0 ? all.length : at) - 1;
      if (next < 0) input.focus();
      else all[Math.min(next, all.length - 1)].focus();
    }
  });

  /* On the page a result led to: mark the query's words in the article (the linked clause is
   * highlighted by permalinks.js through :target). */
  const asked = new URLSearchParams(location.search).get("q");
  const article = document.querySelector("article.md-content__inner");
  const isDocument = document.querySelector("[data-gb-search-doc]") !== null;
  if (asked && asked.trim() && !isDocument) {  // e.g. the 404 page's search form: answer the query
    open();
    input.value = asked;
    scheduled = asked;
    loadPagefind();
    search(asked);
  } else if (asked && article && !parseWenhao(asked)) {  // a 文号 is in the heading it led to: nothing to mark
    const words = asked.split(/[\s　,，、。;；:：〔〕\[\]［］()（）【】]+/).filter((w) => /\p{Script=Han}/u.test(w) || (w.length > 1 && !/^\d+$/.test(w)));
    if (words.length) {
      const pattern = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
      const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
        acceptNode: (node) => node.parentElement.closest("script, style, .headerlink, .gb-search-data")
          ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
      });
      const hits = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (pattern.test(node.nodeValue)) hits.push(node);
        pattern.lastIndex = 0;
      }
      for (const node of hits) {
        const frag = document.createDocumentFragment();
        let last = 0;
        node.nodeValue.replace(pattern, (match, offset) => {
          frag.append(node.nodeValue.slice(last, offset), el("mark", "gb-search-hit", match));
          last = offset + match.length;
          return match;
        });
        frag.append(node.nodeValue.slice(last));
        node.replaceWith(frag);
      }
    }
  }
})();
