/* Sortable tables: every table inside .gb-sortable (the 人事任免 index) gets a button in each column
 * header; pressing it sorts the rows by that column, ascending then descending, and sets aria-sort.
 * A cell's data-sort value (ISO date, zero-padded 文号) wins over its text; text compares in Chinese
 * (pinyin) order with numbers compared as numbers. Without JavaScript the table keeps its printed order.
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

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".gb-sortable table"), enhance);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
