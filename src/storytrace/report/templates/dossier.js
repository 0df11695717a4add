// storytrace dossier: toggles removed boilerplate, highlights spans, opens folded parts to print,
// searches the embedded index, filters and sorts the claims tables.
// Span links look like #hl/<doc_id>/<ref>/<start>/<end>, ref = text | page_text; every
// statement of the dossier (claim mention, drift side, disagreement side, timeline
// source, graph node) is such a link. Article text only ever reaches the page as
// textContent: the search index is read with JSON.parse, never through innerHTML.
(function () {
  "use strict";
  function clearMarks() {
    document.querySelectorAll("mark.hl").forEach(function (m) {
      var parent = m.parentNode;
      while (m.firstChild) { parent.insertBefore(m.firstChild, m); }
      parent.removeChild(m);
      parent.normalize();
    });
  }
  function markRange(el, from, to) {
    // Wrap characters [from, to) of el's text in <mark class="hl">.
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    var pos = 0, node, first = null;
    var nodes = [];
    while ((node = walker.nextNode())) { nodes.push(node); }
    nodes.forEach(function (n) {
      var len = n.nodeValue.length, a = Math.max(from - pos, 0), b = Math.min(to - pos, len);
      if (a < b) {
        var range = document.createRange();
        range.setStart(n, a); range.setEnd(n, b);
        var mark = document.createElement("mark");
        mark.className = "hl";
        range.surroundContents(mark);
        if (!first) { first = mark; }
      }
      pos += len;
    });
    return first;
  }
  function highlight(docId, ref, start, end) {
    clearMarks();
    var article = document.getElementById("doc-" + docId);
    if (!article) { return false; }
    var attr = ref === "text" ? "data-text-start" : "data-start";
    var first = null;
    article.querySelectorAll(".page p").forEach(function (p) {
      var s = p.getAttribute(attr);
      if (s === null || s === "") { return; }
      var base = parseInt(s, 10), len = p.textContent.length;
      if (start < base + len && base < end) {
        if (p.classList.contains("removed")) { p.closest(".page").classList.add("show-removed"); }
        var m = markRange(p, Math.max(start - base, 0), Math.min(end - base, len));
        if (!first) { first = m; }
      }
    });
    if (first) { first.scrollIntoView({block: "center"}); first.setAttribute("tabindex", "-1"); first.focus({preventScroll: true}); }
    return !!first;
  }
  function reveal(el) {
    // Open every folded part around el; a claim row past the first ones shows its table whole.
    for (var p = el; p; p = p.parentElement) {
      if (p.tagName === "DETAILS" && !p.open) { p.open = true; }
    }
    if (el.tagName === "TR" && el.classList.contains("more")) { showAll(el.closest("table"), true); }
  }
  function fromHash() {
    var raw = decodeURIComponent(location.hash.slice(1));
    var parts = raw.split("/");
    if (parts[0] !== "hl" || parts.length !== 5) {
      var target = raw && document.getElementById(raw);
      if (target) { reveal(target); target.scrollIntoView({block: "start"}); }
      return;
    }
    highlight(parts[1], parts[2], parseInt(parts[3], 10), parseInt(parts[4], 10));
  }
  // --- claims tables: filter by words, stance, origins, disputed; sort by a header ---
  function showAll(table, on) {
    table.classList.toggle("show-all", on);
    var button = document.querySelector("button.ct-all[aria-controls='" + table.id + "']");
    if (button) { button.setAttribute("aria-expanded", on ? "true" : "false"); button.hidden = on; }
  }
  function applyFilter(tools) {
    var table = document.getElementById(tools.getAttribute("data-table"));
    var words = tools.querySelector(".ct-text").value.toLowerCase().split(/\s+/).filter(Boolean);
    var stance = tools.querySelector(".ct-stance").value;
    var origins = tools.querySelector(".ct-origins").value;
    var disputed = tools.querySelector(".ct-disputed").checked;
    var active = words.length > 0 || stance !== "" || origins !== "" || disputed;
    var shown = 0, rows = table.tBodies[0].rows;
    table.classList.toggle("filtered", active);
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i], n = parseInt(row.getAttribute("data-origins"), 10), ok = true;
      if (stance && row.getAttribute("data-stance") !== stance) { ok = false; }
      if (origins === "1" && n !== 1) { ok = false; }
      if (origins === "2" && n < 2) { ok = false; }
      if (disputed && row.getAttribute("data-disputed") !== "1") { ok = false; }
      if (ok && words.length) {
        var text = row.textContent.toLowerCase();
        ok = words.every(function (w) { return text.indexOf(w) !== -1; });
      }
      row.classList.toggle("filtered-out", !ok);
      if (ok) { shown++; }
    }
    tools.querySelector(".ct-count").textContent = active ? shown + " of " + rows.length + " claims" : rows.length + " claims";
  }
  function sortBy(button) {
    var th = button.closest("th"), table = th.closest("table"), key = button.getAttribute("data-key");
    var down = th.getAttribute("aria-sort") !== "descending";
    table.querySelectorAll("thead th[aria-sort]").forEach(function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", down ? "descending" : "ascending");
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    function value(row) {
      if (key === "text") { return row.cells[0].textContent.toLowerCase(); }
      if (key === "stance") { return row.getAttribute("data-stance"); }
      return parseInt(row.getAttribute("data-" + key), 10);
    }
    rows.sort(function (a, b) {
      var x = value(a), y = value(b);
      var c = x < y ? -1 : x > y ? 1 : 0;
      if (c === 0) { return parseInt(a.getAttribute("data-order"), 10) - parseInt(b.getAttribute("data-order"), 10); }
      return down ? -c : c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    showAll(table, true);
  }
  document.addEventListener("input", function (e) {
    var tools = e.target.closest(".claims-tools");
    if (tools) { applyFilter(tools); return; }
    if (e.target.id === "search") { search(e.target.value); }
  });
  document.addEventListener("change", function (e) {
    var tools = e.target.closest(".claims-tools");
    if (tools) { applyFilter(tools); }
  });
  // --- search over claims, quotes, sources and names (the embedded JSON index) ---
  var index = null, haystack = null;
  var KINDS = {claim: "claim", quote: "quote", source: "source", entity: "name"};
  function search(query) {
    var list = document.getElementById("search-results"), status = document.getElementById("search-status");
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!words.length) { list.hidden = true; status.textContent = ""; return; }
    if (index === null) {
      index = JSON.parse(document.getElementById("search-index").textContent);
      haystack = index.map(function (e) { return (e[1] + " " + e[2]).toLowerCase(); });
    }
    var found = {}, total = 0, limit = 15;
    for (var i = 0; i < index.length; i++) {
      var entry = index[i], text = haystack[i];
      if (!words.every(function (w) { return text.indexOf(w) !== -1; })) { continue; }
      total++;
      var kind = entry[0], n = found[kind] = (found[kind] || 0) + 1;
      if (n > limit) { continue; }
      var li = document.createElement("li"), a = document.createElement("a");
      var badge = document.createElement("span"), where = document.createElement("span");
      badge.className = "badge"; badge.textContent = KINDS[kind] || kind;
      a.textContent = entry[1];
      if (entry[3].charAt(0) === "#") { a.setAttribute("href", entry[3]); }
      where.className = "muted"; where.textContent = " " + entry[2];
      li.className = "hit-" + kind;
      li.appendChild(badge); li.appendChild(a); li.appendChild(where);
      list.appendChild(li);
    }
    list.hidden = total === 0;
    var counts = Object.keys(found).map(function (k) {
      return found[k] + " " + (KINDS[k] || k) + (found[k] > 1 ? "s" : "") + (found[k] > limit ? " (first " + limit + " shown)" : "");
    });
    status.textContent = total === 0 ? "Nothing found." : total + " found: " + counts.join(", ") + ".";
  }
  document.addEventListener("click", function (e) {
    var link = e.target.closest("a[href^='#']");
    // Clicking the link already in the address bar fires no hashchange: highlight (or open) again.
    if (link && location.hash === link.getAttribute("href")) { fromHash(); return; }
    var sort = e.target.closest("button.sort");
    if (sort) { sortBy(sort); return; }
    var all = e.target.closest("button.ct-all");
    if (all) { showAll(document.getElementById(all.getAttribute("aria-controls")), true); return; }
    var t = e.target.closest("button.toggle");
    if (!t) { return; }
    var page = document.getElementById(t.getAttribute("aria-controls"));
    var on = page.classList.toggle("show-removed");
    t.setAttribute("aria-expanded", on ? "true" : "false");
    t.textContent = (on ? "Hide" : "Show") + t.textContent.slice(4);
  });
  window.addEventListener("hashchange", fromHash);
  // Printing shows what the screen folds away (except removed boilerplate); closed again after.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("main details:not([open])"), function (d) { return !d.closest(".article"); });
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () { opened.forEach(function (d) { d.open = false; }); opened = []; });
  window.storytrace = {highlight: highlight};
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fromHash); } else { fromHash(); }
})();
