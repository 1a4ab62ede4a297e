/* gongbao: search, over the static index in site/search-index/ (converter/render/search_index.py makes it).
 *
 * - A query is cut into units (Han characters; ASCII letter/digit runs written " 2023"); punctuation and
 *   spaces between units do not count, so every written form of a 文号 is the same query. Each triple of
 *   adjacent units is a key (a part of two units is one pair, also a key); the documents holding every
 *   key of every space-separated part are the candidates, and a candidate is a match when its text holds each part as a run (checked on its record
 *   before it is shown). Nothing is lost to word segmentation: any run of two or more characters printed
 *   in a document finds it.
 * - Ranking: every key of the phrase in the title or a 文号 first, then in headings (newer first in both),
 *   then by how often the phrase occurs (the count of its rarest key), newer first among ties.
 * - Only docs.json (facets, ~3 numbers a document), one postings shard per key and the records of the
 *   results shown are fetched; the index is loaded when the box is focused.
 * - The header box shows the first results and links to the results page /search/?q=…, which can be
 *   linked and shared, with filters by year, issuer and kind (&year=2023&issuer=…&kind=…).
 * - No match: the page says so and offers the longest parts of the query that do match.
 * - Keys: / or s opens the box, Esc closes it, ↓ ↑ walk the results, Enter opens the first one.
 * - The page a result leads to marks the query's words (?q=… in the link).
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

  const BOX_PAGE = 5;       // results shown in the header box at a time
  const PAGE = 10;          // on the results page
  const DEBOUNCE = 120;     // ms without a keystroke before a typed (not committed or pasted) query is searched
  const TITLE = 1, HEADING = 2;
  const SEPARATORS = "。；！？";
  const PAUSES = "，：、";
  const STRAY = /^[\s，。；：、！？）)\]】」』》〉.,;:·…—-]+/u;

  const siteRoot = new URL((root.dataset.gbBase || ".") + "/", location.href);
  const indexUrl = (path) => new URL(`search-index/${path}`, siteRoot).href;
  let generation = 0;

  /* ---------------------------------------------------------------- the index */

  const cache = new Map();
  function getJson(path) {
    if (!cache.has(path)) {
      const p = fetch(indexUrl(path)).then((r) => {
        if (!r.ok) throw new Error(`${path}: ${r.status}`);
        return r.json();
      });
      p.catch(() => cache.delete(path));
      cache.set(path, p);
    }
    return cache.get(path);
  }
  const loadIndex = () => getJson("docs.json");

  const HAN = /[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]/u;
  const ALNUM = /[0-9a-z]/;

  /* A text as units, written as one string (`宁政办发 2023 13号`), with, for each of its characters,
   * the index of the character of `text` it comes from (for marking a hit in the text as printed). */
  function canon(text) {
    let out = "";
    const at = [];
    let inRun = false;
    let i = 0;
    for (const c of String(text || "")) {
      for (const ch of c.normalize("NFKC").toLowerCase()) {
        if (HAN.test(ch)) {
          out += ch; at.push(i); inRun = false;
          if (ch.length === 2) at.push(i);
        } else if (ALNUM.test(ch)) {
          if (!inRun) { out += " "; at.push(i); }
          out += ch; at.push(i); inRun = true;
        } else {
          inRun = false;
        }
      }
      i += c.length;
    }
    return { text: out, at };
  }

  function unitsOf(s) {
    return s.match(/ [0-9a-z]+|[\s\S]/gu) || [];
  }

  /* The keys a run of units is looked up by (render/search_index.py posts them all): its adjacent
   * triples; its pair when it has two units; an alphanumeric unit alone is its own key. */
  function keysOf(units) {
    const keys = [];
    if (units.length >= 3) for (let k = 0; k + 2 < units.length; k++) keys.push(units[k] + units[k + 1] + units[k + 2]);
    else if (units.length === 2) keys.push(units[0] + units[1]);
    else if (units.length === 1 && units[0][0] === " ") keys.push(units[0]);
    return [...new Set(keys)];
  }

  function shardOf(key, shards) {
    let h = 0x811c9dc5;
    for (let k = 0; k < key.length; k++) h = Math.imul(h ^ key.charCodeAt(k), 0x01000193) >>> 0;
    return h % shards;
  }

  /* A key's postings, id → count*4 + flags, from each part of the index (docs.json `parts`: the older
   * years' documents in `p/`, the newest year's in `r/`; ids never overlap). */
  async function postings(key, index) {
    const shards = await Promise.all(index.parts.map(([dir, count]) =>
      getJson(`${dir}/${shardOf(key, count).toString(16)}.json`)));
    const map = new Map();
    for (const shard of shards) {
      const flat = shard[key] || [];
      let id = 0;
      for (let k = 0; k < flat.length; k += 2) {
        id += flat[k];
        map.set(id, flat[k + 1]);
      }
    }
    return map;
  }

  /* A 文号 typed in any form, written as converter/docnumber.py writes it; anything else: null. */
  function parseWenhao(query) {
    const m = query.normalize("NFKC").trim().match(
      /^([\p{Script=Han}A-Za-z]{1,8}?)\s*[〔\[(〈【]?\s*((?:19|20)\d{2})\s*年?\s*[〕\])〉】]?\s*第?\s*(\d{1,4})\s*号?$/u);
    if (!m || !(Number(m[3]) > 0)) return null;
    return `${m[1]}〔${m[2]}〕${Number(m[3])}号`;
  }

  /* The query as parts (space-separated), each as its unit string and keys; null when a part is a single
   * Han character (too short to search). */
  function parse(query) {
    const wenhao = parseWenhao(query);
    const raw = wenhao ? [wenhao] : query.split(/[\s\u3000]+/).filter(Boolean);
    const parts = raw.map((p) => {
      const text = canon(p).text;
      return { text, keys: keysOf(unitsOf(text)), last: text.slice(-1) };
    }).filter((p) => p.text);
    if (!parts.length || parts.some((p) => !p.keys.length)) return null;
    return { parts, wenhao };
  }

  /* Candidates in rank order: [{id, tier, freq}], filtered by the facets asked for. */
  async function candidates(parsed, index, filters) {
    const all = [...new Set(parsed.parts.flatMap((p) => p.keys))];
    const maps = new Map(await Promise.all(all.map(async (k) => [k, await postings(k, index)])));
    const smallest = [...maps.values()].reduce((a, b) => (b.size < a.size ? b : a));
    const out = [];
    for (const id of smallest.keys()) {
      if (!all.every((k) => maps.get(k).has(id))) continue;
      if (!facetOk(index, id, filters)) continue;
      let tier = 0, freq = 0;
      for (const part of parsed.parts) {
        const vals = part.keys.map((k) => maps.get(k).get(id));
        const t = vals.every((v) => v & TITLE) ? 2 : vals.every((v) => v & (TITLE | HEADING)) ? 1 : 0;
        tier = Math.max(tier, t);
        freq += Math.min(...vals.map((v) => v >> 2));
      }
      out.push({ id, tier, freq: tier ? 0 : freq });
    }
    out.sort((a, b) => b.tier - a.tier || b.freq - a.freq || b.id - a.id);
    return { ranked: out, maps };
  }

  function facetOk(index, id, filters) {
    const row = index.docs.slice(3 * id, 3 * id + 3);
    return ["years", "issuers", "kinds"].every((f, k) => filters[f] === undefined || filters[f] === row[k]);
  }

  /* ---------------------------------------------------------------- matching a record */

  function findIn(text, part) {
    const c = canon(text);
    let from = 0;
    for (;;) {
      const at = c.text.indexOf(part.text, from);
      if (at < 0) return null;
      const after = c.text[at + part.text.length];
      if (!(ALNUM.test(part.last) && after && ALNUM.test(after))) {
        const end = at + part.text.length - 1;
        return { start: c.at[part.text[0] === " " ? at + 1 : at], end: c.at[end] + 1 };
      }
      from = at + 1;
    }
  }

  /* Where the query occurs in a record, or null when some part does not: the first clause (section with
   * an anchor) holding a part in its heading or text, else the text before the first heading, else the
   * title or a 文号. A part that is the document's own 文号 leads to the top of the page. */
  function locate(record, parts) {
    let best = null;
    for (const part of parts) {
      const own = record.w && findIn(record.w, part);
      let hit = null;
      let top = null;
      for (const [anchor, heading, pieces] of record.s) {
        const inHeading = heading && findIn(heading, part);
        const piece = pieces.find((x) => findIn(x, part));
        if (!inHeading && !piece) continue;
        const found = { anchor: anchor || null, heading, piece: inHeading ? null : piece };
        if (anchor) { hit = found; break; }
        top = top || found;
      }
      hit = hit || top;
      if (own) hit = { anchor: null, heading: "", piece: null };
      if (!hit && (findIn(record.t, part) || record.n.some((n) => findIn(n, part)))) hit = { anchor: null, heading: "", piece: null };
      if (!hit) return null;
      best = best || hit;
    }
    return best;
  }

  /* An excerpt of `piece` around the first part found in it, the hit marked. It starts where the hit's
   * sentence starts (after 。；！？ or at the start of the piece), or, when that is more than 40
   * characters back, where its clause starts (after ，：、); a clause still longer than 60 characters
   * before the hit shows its first words, then "…", then the hit. Never from the middle of a clause,
   * never with leading punctuation; about 90 characters. */
  function excerpt(piece, parts) {
    const p = el("p");
    if (!piece) return p;
    let hit = null;
    for (const part of parts) if ((hit = findIn(piece, part))) break;
    if (!hit) { p.append(piece.slice(0, 90) + (piece.length > 90 ? "…" : "")); return p; }
    let sentence = 0, clause = -1;
    for (let k = hit.start - 1; k >= 0; k--) {
      if (SEPARATORS.includes(piece[k])) { sentence = k + 1; break; }
      if (clause < 0 && PAUSES.includes(piece[k])) clause = k + 1;
    }
    const start = hit.start - sentence <= 40 || clause < 0 ? sentence : clause;
    let end = Math.min(piece.length, Math.max(hit.end + 20, start + 90));
    for (let k = end; k < Math.min(piece.length, end + 20); k++) {
      if (SEPARATORS.includes(piece[k]) || PAUSES.includes(piece[k])) { end = k + 1; break; }
    }
    const head = piece.slice(start, hit.start).replace(STRAY, "");
    p.append(head.length > 60 ? head.slice(0, 16).replace(/[，：、\s]+$/u, "") + "…" : head);
    p.append(el("mark", "", piece.slice(hit.start, hit.end)));
    let rest = piece.slice(hit.end, end);
    for (const part of parts) {
      const more = findIn(rest, part);
      if (more) {
        p.append(rest.slice(0, more.start), el("mark", "", rest.slice(more.start, more.end)));
        rest = rest.slice(more.end);
      }
    }
    p.append(rest + (end < piece.length ? "…" : ""));
    return p;
  }

  /* ---------------------------------------------------------------- showing */

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function withQuery(url, query, anchor) {
    return `${new URL(url, siteRoot).pathname}?q=${encodeURIComponent(query)}${anchor ? "#" + anchor : ""}`;
  }

  function markTitle(text, parts) {
    const h = el("h1");
    for (const part of parts) {
      const hit = findIn(text, part);
      if (hit) {
        h.append(text.slice(0, hit.start), el("mark", "", text.slice(hit.start, hit.end)), text.slice(hit.end));
        return h;
      }
    }
    h.textContent = text;
    return h;
  }

  function item(query, record, first, parts) {
    const li = el("li", "md-search-result__item");
    const a = el("a", "md-search-result__link");
    a.href = withQuery(record.u, query, first.anchor);
    a.tabIndex = -1;
    const article = el("article", "md-search-result__article md-typeset");
    article.append(el("div", "md-search-result__icon md-icon"));
    article.append(markTitle(record.t, parts));
    const facts = [record.w, record.l].filter(Boolean).join(" · ");
    if (facts) article.append(el("p", "gb-search-facts", facts));
    if (first.heading && first.heading !== record.t) {
      const clause = el("p", "gb-search-clause");
      clause.append(first.piece ? first.heading : excerpt(first.heading, parts).textContent);
      if (!first.piece) clause.replaceChildren(...excerpt(first.heading, parts).childNodes);
      article.append(clause);
    }
    if (first.piece) article.append(excerpt(first.piece, parts));
    a.append(article);
    li.append(a);
    return li;
  }

  /* Show `ranked` `size` at a time into `into`, each record checked against the query first; a button
   * fetches the next ones, to the last. Resolves with how many were shown. */
  function showPaged(query, parsed, ranked, into, size, mine, onShown) {
    let next = 0;
    let shown = 0;
    const more = el("li", "md-search-result__item gb-search-next");
    const button = el("button", "md-button", "显示更多结果");
    button.type = "button";
    more.append(button);
    const page = async () => {
      button.disabled = true;  // removed when this page is in: a script (or a test) can wait for that
      let added = 0;
      while (added < size && next < ranked.length) {
        const slice = ranked.slice(next, next + size - added);
        next += slice.length;
        const records = await Promise.all(slice.map((c) => getJson(`d/${c.id}.json`)));
        if (mine !== generation) return shown;
        for (const record of records) {
          const hits = locate(record, parsed.parts);
          if (!hits) continue;
          into.append(item(query, record, hits, parsed.parts));
          added++;
        }
      }
      shown += added;
      if (onShown) onShown(shown, next >= ranked.length);
      more.remove();
      button.disabled = false;
      if (next < ranked.length) into.append(more);
      return shown;
    };
    button.addEventListener("click", () => page().catch(() => failed(mine)));
    return page();
  }

  function failed(mine) {
    if (mine !== generation) return;
    resultBox.classList.add("gb-search-empty");
    meta.textContent = "搜索暂时不可用，请稍后重试。";
  }

  /* The longest runs of the query (two units or more) that some document holds as printed: a run of
   * one key (two or three units) is posted as such; a longer one is checked on the records of its first candidates (at most
   * RECORDS_CHECKED records in all, so that a long query cannot fetch much). */
  const RECORDS_CHECKED = 12;
  async function nearest(parsed, maps, index) {
    const found = [];
    let budget = RECORDS_CHECKED;
    for (const part of parsed.parts) {
      const units = unitsOf(part.text);
      for (let len = units.length - 1; len >= 2 && found.length < 4; len--) {
        for (let s = 0; s + len <= units.length && found.length < 4; s++) {
          const text = units.slice(s, s + len).join("");
          if (found.some((f) => f.includes(text.trim()))) continue;
          const keys = keysOf(units.slice(s, s + len));
          const sets = await Promise.all(keys.map((k) => maps.get(k) || postings(k, index)));
          if (sets.some((m) => !m || !m.size)) continue;
          const [a, ...rest] = sets;
          const ids = [...a.keys()].filter((id) => rest.every((m) => m.has(id)));
          if (!ids.length) continue;
          if (keys.length > 1) {
            const run = { text, last: text.slice(-1) };
            const some = ids.slice(0, Math.min(3, budget));
            budget -= some.length;
            const records = await Promise.all(some.map((id) => getJson(`d/${id}.json`)));
            if (!records.some((r) => holds(r, run))) continue;
          }
          found.push(text.trim());
        }
      }
    }
    return found;
  }

  function holds(record, part) {
    return [record.t, ...record.n].some((x) => findIn(x, part))
      || record.s.some(([, heading, pieces]) => findIn(heading, part) || pieces.some((x) => findIn(x, part)));
  }

  function searchPageUrl(query, filters) {
    const u = new URL("search/", siteRoot);
    u.searchParams.set("q", query);
    for (const [k, v] of Object.entries(filters || {})) if (v) u.searchParams.set(k, v);
    return u.pathname + u.search;
  }

  /* An answer in `view` ({meta, list, box, size}) for `query` under `filters` (facet indexes). */
  async function answerInto(view, query, mine, filters = {}) {
    const q = query.trim();
    view.box.classList.remove("gb-search-empty");
    view.list.replaceChildren();
    if (!q) { view.meta.textContent = view.initial; return; }
    const parsed = parse(q);
    if (!parsed) {
      view.box.classList.add("gb-search-empty");
      view.meta.textContent = `“${q}”太短：请输入至少两个字，或文号、数字。`;
      return;
    }
    const index = await loadIndex();
    const { ranked, maps } = await candidates(parsed, index, filters);
    if (mine !== generation) return;
    if (ranked.length) {
      const exact = parsed.parts.every((p) => p.keys.length === 1);
      const count = (n, done) => {
        view.meta.textContent = done || exact ? `找到 ${done ? n : ranked.length} 个文件` : `找到约 ${ranked.length} 个文件`;
        if (view.size === BOX_PAGE && (ranked.length > n || !done)) {
          const all = el("a", "gb-search-all", "在搜索页查看全部结果、按年份或机关筛选");
          all.href = searchPageUrl(q, {});
          view.meta.append(" · ", all);
        }
      };
      view.meta.textContent = exact ? `找到 ${ranked.length} 个文件` : `找到约 ${ranked.length} 个文件`;
      const shown = await showPaged(q, parsed, ranked, view.list, view.size, mine, count);
      if (mine !== generation || shown) return;
    }
    const near = await nearest(parsed, maps, index);
    if (mine !== generation) return;
    view.box.classList.add("gb-search-empty");
    const what = parsed.wenhao ? `文号为“${parsed.wenhao}”的文件` : `包含“${q}”的文件`;
    view.meta.textContent = `没有找到${what}。`;
    if (near.length) {
      view.meta.append("以下词语有文件包含：");
      near.forEach((phrase, k) => {
        const a = el("a", "gb-search-near", phrase);
        a.href = searchPageUrl(phrase, {});
        view.meta.append(k ? "、" : "", a);
      });
    } else {
      view.meta.append(parsed.wenhao ? "本刊可能未刊登该文件。" : "请检查用字，或换用更短的词语、文号（如 宁政办发〔2023〕13号）。");
    }
  }

  const boxView = { meta, list, box: resultBox, size: BOX_PAGE, initial: initialMeta };

  async function search(query) {
    const mine = ++generation;
    try {
      shownFor = null;
      await answerInto(boxView, query, mine);
      if (mine === generation) shownFor = query.trim();
    } catch (err) {
      failed(mine);
    }
  }

  let shownFor = null;

  /* ---------------------------------------------------------------- the header box */

  function open() { if (toggle && !toggle.checked) toggle.checked = true; }
  function close() { if (toggle) toggle.checked = false; input.blur(); }

  let timer = 0;
  let scheduled = null;
  function schedule(event) {
    const query = input.value;
    if (query === scheduled) return;
    scheduled = query;
    clearTimeout(timer);
    const whole = event.type === "compositionend" || (event.data || "").length > 1
      || /^insertFrom|^insertReplacementText$/.test(event.inputType || "");
    if (whole) { search(query); return; }
    timer = setTimeout(() => search(query), DEBOUNCE);
  }

  input.addEventListener("focus", () => { open(); loadIndex().catch(() => {}); });
  input.addEventListener("input", (event) => { if (!event.isComposing) schedule(event); });
  input.addEventListener("compositionend", schedule);
  form.addEventListener("reset", () => {
    clearTimeout(timer);
    setTimeout(() => { scheduled = ""; search(""); input.focus(); });
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearTimeout(timer);
    const q = input.value.trim();
    if (shownFor !== q) {
      scheduled = input.value;
      await search(input.value);
      if (input.value.trim() !== q) return;
    }
    const first = list.querySelector(".md-search-result__link");
    if (first) location.href = first.href;
    else if (q) location.href = searchPageUrl(q, {});  // no match: the results page, with the nearest phrases
  });
  if (toggle) toggle.addEventListener("change", () => { if (toggle.checked) input.focus(); });

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

  /* ---------------------------------------------------------------- the results page /search/ */

  const params = new URLSearchParams(location.search);
  const asked = params.get("q");
  const pageForm = document.querySelector("form.gb-search-page");
  if (pageForm) {
    const results = document.getElementById("gb-results");
    const view = {
      meta: results.querySelector(".gb-search-status"), list: results.querySelector(".gb-search-list"),
      box: results, size: PAGE, initial: "输入关键词、文号或姓名。",
    };
    pageForm.elements.q.value = asked || "";
    view.meta.textContent = view.initial;
    loadIndex().then((index) => {
      const filters = {};
      for (const [name, facet] of [["year", "years"], ["issuer", "issuers"], ["kind", "kinds"]]) {
        const select = pageForm.elements[name];
        index[facet].forEach((value, k) => {
          const option = el("option", "", index.labels[facet][k]);
          option.value = value;
          select.append(option);
        });
        const wanted = params.get(name);
        if (wanted && index[facet].includes(wanted)) {
          select.value = wanted;
          filters[facet] = index[facet].indexOf(wanted);
        }
        select.addEventListener("change", () => pageForm.requestSubmit());
      }
      if (asked && asked.trim()) {
        const mine = ++generation;
        document.title = `${asked.trim()} - 搜索`;
        return answerInto(view, asked, mine, filters).catch(() => { view.meta.textContent = "搜索暂时不可用，请稍后重试。"; });
      }
      return null;
    }).catch(() => { view.meta.textContent = "搜索索引无法加载（请通过网站服务器访问本站，而不是直接打开文件）"; });
    return;
  }

  /* ---------------------------------------------------------------- a page reached with ?q= */

  const article = document.querySelector("article.md-content__inner");
  const isDocument = document.querySelector("[data-gb-search-doc]") !== null;
  if (asked && asked.trim() && !isDocument) {  // e.g. the 404 page's search form: answer the query
    open();
    input.value = asked;
    scheduled = asked;
    search(asked);
  } else if (asked && article && !parseWenhao(asked)) {  // a 文号 is in the heading it led to: nothing to mark
    const words = asked.split(/[\s　,，、。;；:：〔〕\[\]［］()（）【】]+/).filter((w) => [...w].length > 1);
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
