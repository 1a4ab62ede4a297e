/* Sortable tables: every table inside .gb-sortable (the 人事任免 index) gets a button in each column
 * header; pressing it sorts the rows by that column, ascending then descending, and sets aria-sort.
 * A cell's data-sort value (ISO date, zero-padded 文号) wins over its text; text compares in Chinese
 * (pinyin) order with numbers compared as numbers. Without JavaScript the table keeps its printed order.
 *
 * The filter box (form.gb-filter, hidden until this script shows it) keeps the rows that contain every
 * word typed: a name, a post, a 文号 (any bracket form: 宁政干发[2020]14号 finds 宁政干发〔2020〕14号) or a
 * year; the count of rows shown is announced.
 */
(function () {
  "use strict";

  var collator = new Intl.Collator("zh-CN", { numeric: true, sensitivity: "base" });

  function key(row, column) {
    var cell = row.cells[column];
    if (!cell) return "";
    var value = cell.getAttribute("data-sort");
    return value !== null ? value : cell.textContent.trim();
  }

  function sortBy(table, column, th) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, index) { row._gbIndex = index; });
    rows.sort(function (a, b) {
      var order = collator.compare(key(a, column), key(b, column));
      // Stable: rows with equal keys keep their current order.
      return (ascending ? order : -order) || a._gbIndex - b._gbIndex;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function enhance(table) {
    if (!table.tHead || !table.tBodies.length || table.hasAttribute("data-gb-sortable")) return;
    table.setAttribute("data-gb-sortable", "");
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "gb-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      button.setAttribute("title", "按此列排序");
      button.addEventListener("click", function () { sortBy(table, column, th); });
      th.appendChild(button);
    });
  }

  // Brackets of a 文号 as people type them → the printed 〔〕, spaces out, lower case.
  function normal(text) {
    return text
      .replace(/[\[［(（〈【]/g, "〔")
      .replace(/[\]］)）〉】]/g, "〕")
      .replace(/\s+/g, "")
      .toLowerCase();
  }

  function rowText(row) {
    var text = row.textContent;
    Array.prototype.forEach.call(row.cells, function (cell) { text += " " + (cell.getAttribute("data-sort") || ""); });
    return normal(text);
  }

  function filter(form, table) {
    var input = form.querySelector("input");
    var count = form.querySelector(".gb-filter-count");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(rowText);
    function apply() {
      var words = input.value.split(/\s+/).map(normal).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var keep = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      count.textContent = words.length ? "显示" + shown + "项，共" + rows.length + "项" : "";
    }
    input.addEventListener("input", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.hidden = false;
    if (input.value) apply();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".gb-sortable table"), enhance);
    var form = document.querySelector("form.gb-filter");
    var table = document.querySelector(".gb-sortable table");
    if (form && table && !form.hasAttribute("data-gb-ready")) {
      form.setAttribute("data-gb-ready", "");
      filter(form, table);
    }
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
