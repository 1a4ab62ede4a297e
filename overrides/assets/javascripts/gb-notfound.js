/* The 404 page: a 文号 typed in the address (/wenhao/宁政办发〔2023〕13号/, any bracket form, percent-encoded
 * or not) or in the query (?q=… or ?wenhao=…) takes the reader to the document that carries it, or to its
 * 本公报未收录 note on the 文号 index. The table of 文号 → address is wenhao/numbers.json (written by
 * converter/render/site.py). A 文号 the gazette neither carries nor cites is named in a notice, and the
 * search box is filled with it.
 *
 * The pattern mirrors converter/docnumber.py (DocNumber.parse): issuer code, bracketed year, serial, 号;
 * brackets may be 〔〕 [] ［］ () （） 〈〉 【】 and spaces may be anywhere.
 */
(function () {
  "use strict";

  var NUMBER = /([\u4e00-\u9fff]{1,12}?)\s*[〔\[［(（〈【]\s*((?:19|20)\d\d)\s*[〕\]］)）〉】]\s*第?\s*0*(\d{1,5})\s*号?/;
  var box = document.getElementById("gb-notfound");
  if (!box) return;
  var root = new URL(box.getAttribute("data-root") || "/", location.href);

  function decoded(text) {
    try { return decodeURIComponent(text.replace(/\+/g, " ")); } catch (e) { return text; }
  }

  function typed() {
    var params = new URLSearchParams(location.search);
    var candidates = [decoded(location.pathname), params.get("wenhao") || "", params.get("q") || ""];
    for (var i = 0; i < candidates.length; i += 1) {
      var match = NUMBER.exec(candidates[i]);
      if (match) {
        // The issuer is the CJK run right before the bracket: drop a leading "wenhao" path or words.
        var issuer = match[1].replace(/^.*[的据照]/, "");
        return issuer + "〔" + match[2] + "〕" + match[3] + "号";
      }
    }
    return null;
  }

  function notice(number, known) {
    var p = box.querySelector(".gb-notfound-number");
    p.textContent = known
      ? "正在转到 " + number + " …"
      : "文号 " + number + " 本公报未收录：本站没有刊登这一文号的文件，也没有文件引用它。可在文号索引中查看全部文号，或在下面搜索。";
    box.hidden = false;
    var input = document.getElementById("gb-404-q");
    if (input && !known) input.value = number;
  }

  var number = typed();
  if (!number) return;
  fetch(new URL("wenhao/numbers.json", root).href)
    .then(function (response) { return response.ok ? response.json() : {}; })
    .catch(function () { return {}; })
    .then(function (numbers) {
      var target = numbers[number];
      notice(number, !!target);
      if (!target) return;
      var url = new URL(target, root);
      if (!url.hash && location.hash) url.hash = location.hash;
      location.replace(url.href);
    });
})();
