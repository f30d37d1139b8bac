// The kg viewer: draws the graph with vis-network and builds every panel with DOM APIs.
// All data comes from the JSON blob in #kg-data; text is only ever set with textContent,
// and links only get http(s) URLs, so nothing from the input is parsed as HTML.
(function () {
  "use strict";

  var blob = JSON.parse(document.getElementById("kg-data").textContent);
  var page = blob.page;
  var details = page.details;
  var papers = page.papers;
  var container = document.getElementById("mynetwork");

  // Smaller is better for these metrics; the leaderboard starts in that order.
  var LOWER_IS_BETTER = /\b(fid|kid|error|err|loss|perplexity|ppl|wer|cer|ter|mse|rmse|mae|nll|bpd|bits\/dim|lpips|latency|time|flops|params|eer|fpr|fnr|distance|miss rate)\b/i;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function httpUrl(value) {
    if (typeof value !== "string") return null;
    try {
      var url = new URL(value.trim());
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function link(value, text) {
    var url = httpUrl(value);
    if (!url) return null;
    var a = el("a", text || url);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function kindColor(kind) {
    for (var i = 0; i < page.legend.length; i++) if (page.legend[i].kind === kind) return page.legend[i].color;
    return "#bbbbbb";
  }

  // ---- the graph ----
  var nodes = new vis.DataSet(blob.nodes);
  var edges = new vis.DataSet(blob.edges);
  var labels = {};
  blob.nodes.forEach(function (n) { labels[n.id] = n; });
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
    physics: { enabled: false },
    layout: { improvedLayout: false },
    nodes: { shape: "dot", borderWidth: 1, font: { size: 14, color: "#222" } },
    edges: {
      smooth: false,
      width: 0.6,
      arrows: { to: { enabled: true, scaleFactor: 0.4 } },
      color: { color: "#c8c8c8", highlight: "#444444", hover: "#777777" },
    },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: blob.edges.length > 3000 },
  });
  network.once("afterDrawing", function () {
    container.setAttribute("data-drawn-ms", String(Math.round(performance.now())));
  });

  // ---- heading and cut ----
  document.title = page.title;
  document.getElementById("kg-title").textContent = page.title;
  document.getElementById("kg-cut").textContent = page.cut.summary;

  // ---- legend and type filter ----
  var hiddenKinds = {};
  var legendList = document.getElementById("kg-legend-items");
  page.legend.forEach(function (entry) {
    var item = el("li");
    var label = el("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.addEventListener("change", function () {
      hiddenKinds[entry.kind] = !box.checked;
      nodes.update(blob.nodes.filter(function (n) { return (n.kind || "other") === entry.kind; })
        .map(function (n) { return { id: n.id, hidden: !box.checked }; }));
    });
    var swatch = el("span", null, "swatch");
    swatch.style.backgroundColor = entry.color;
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(el("span", entry.kind + " (" + entry.count.toLocaleString() + ")"));
    item.appendChild(label);
    legendList.appendChild(item);
  });

  // ---- search ----
  var search = document.getElementById("kg-search");
  var matchList = document.getElementById("kg-matches");
  var searchable = blob.nodes.map(function (n) {
    var about = details[n.id] || {};
    var names = [about.label || n.label].concat(about.aliases || []);
    return { id: n.id, names: names.map(function (s) { return String(s).toLowerCase(); }), label: about.label || n.label, kind: n.kind };
  });
  function findMatches(query) {
    var q = query.trim().toLowerCase();
    if (!q) return [];
    var exact = [], partial = [];
    searchable.forEach(function (s) {
      if (s.names.indexOf(q) >= 0) exact.push(s);
      else if (s.names.some(function (name) { return name.indexOf(q) >= 0; })) partial.push(s);
    });
    return exact.concat(partial).slice(0, 25);
  }
  function showMatches() {
    var matches = findMatches(search.value);
    matchList.replaceChildren();
    matches.forEach(function (m) {
      var item = el("li");
      var button = el("button", m.label + "  ·  " + (m.kind || "node"));
      button.type = "button";
      button.addEventListener("click", function () { focusNode(m.id); matchList.hidden = true; });
      item.appendChild(button);
      matchList.appendChild(item);
    });
    if (search.value.trim() && !matches.length) matchList.appendChild(el("li", "No node of this page has that name.", "muted"));
    matchList.hidden = !search.value.trim();
  }
  search.addEventListener("input", showMatches);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var first = findMatches(search.value)[0];
      if (first) { focusNode(first.id); matchList.hidden = true; }
    } else if (event.key === "Escape") {
      matchList.hidden = true;
    }
  });
  document.addEventListener("click", function (event) {
    if (!document.getElementById("kg-search-box").contains(event.target)) matchList.hidden = true;
  });

  function focusNode(id) {
    if (!labels[id]) return;
    showTab("graph");
    var kind = labels[id].kind || "other";
    if (hiddenKinds[kind]) nodes.update({ id: id, hidden: false });
    network.selectNodes([id]);
    network.focus(id, { scale: 1.0, animation: { duration: 300 } });
    showDetails(id);
  }

  // ---- details panel ----
  var panel = document.getElementById("kg-details");

  function nodeButton(name, id) {
    if (!id || !labels[id]) return el("span", name);
    var button = el("button", name, "linkish");
    button.type = "button";
    button.addEventListener("click", function () { focusNode(id); });
    return button;
  }

  function paperItem(index) {
    var paper = papers[index];
    var item = el("li");
    item.appendChild(nodeButton(paper.title, paper.node));
    if (paper.date) item.appendChild(el("span", " (" + paper.date + ")", "muted"));
    (paper.code || []).forEach(function (url) {
      var a = link(url, "code");
      if (a) { item.appendChild(document.createTextNode(" · ")); item.appendChild(a); }
    });
    return item;
  }

  function section(title, items) {
    if (!items || !items.length) return;
    panel.appendChild(el("h3", title));
    var list = el("ul");
    items.forEach(function (item) { list.appendChild(item); });
    panel.appendChild(list);
  }

  function resultText(row) {
    var value = (row.relative ? "+" : "") + row.value + (row.unit ? (row.unit === "%" ? "%" : " " + row.unit) : "");
    return (row.metric || "value") + " " + value + (row.dataset ? " on " + row.dataset : "") + (row.subject ? " by " + row.subject : "");
  }

  function showDetails(id) {
    var about = details[id];
    panel.replaceChildren();
    if (!about) { panel.appendChild(el("p", "Click a node to see its details.", "hint")); return; }
    panel.appendChild(el("h2", about.label));
    var badge = el("span", about.kind || "node", "kind");
    badge.style.backgroundColor = kindColor(about.kind || "other");
    panel.appendChild(badge);
    panel.appendChild(el("span", "  " + about.links.toLocaleString() + " links", "muted"));

    if (about.kind === "Paper") {
      var paper = papers[about.paper];
      var facts = el("p");
      if (paper.date) facts.appendChild(el("span", paper.date + "  "));
      var page_link = link(paper.url, "paper");
      if (page_link) facts.appendChild(page_link);
      (paper.code || []).forEach(function (url) {
        var a = link(url);
        if (a) { facts.appendChild(el("br")); facts.appendChild(el("span", "code: ")); facts.appendChild(a); }
      });
      panel.appendChild(facts);
      if (about.abstract) { panel.appendChild(el("h3", "Abstract")); panel.appendChild(el("p", about.abstract)); }
      section("Names", (about.entities || []).map(function (e) {
        var item = el("li");
        item.appendChild(nodeButton(e.name, e.node));
        item.appendChild(el("span", " · " + (e.kind || "") + (e.proposed ? " · proposed here" : ""), "muted"));
        return item;
      }));
      section("Results", (about.results || []).map(function (r) {
        var item = el("li");
        item.appendChild(nodeButton(resultText(r), r.node));
        return item;
      }));
    } else if (about.kind === "Result") {
      var row = about.result;
      panel.appendChild(el("p", resultText(row)));
      if (row.evidence) { panel.appendChild(el("h3", "Evidence")); panel.appendChild(el("blockquote", row.evidence)); }
      if (row.paper !== undefined) section("Paper", [paperItem(row.paper)]);
    } else {
      if (about.aliases && about.aliases.length) panel.appendChild(el("p", "Also called: " + about.aliases.join(", ")));
      if (about.description) panel.appendChild(el("p", about.description));
      if (about.papers_count !== undefined) panel.appendChild(el("p", "Named by " + about.papers_count.toLocaleString() + " papers", "muted"));
      section("Family", (about.family || []).map(function (f) { var li = el("li"); li.appendChild(nodeButton(f.name, f.node)); return li; }));
      section("Variants", (about.variants || []).map(function (f) { var li = el("li"); li.appendChild(nodeButton(f.name, f.node)); return li; }));
      section("Proposed by", (about.proposed_by || []).map(paperItem));
      var named = (about.papers || []).map(paperItem);
      if (about.more_papers) named.push(el("li", "and " + about.more_papers.toLocaleString() + " more", "muted"));
      section("Papers naming it", named);
      if (about.evidence && about.evidence.length) {
        panel.appendChild(el("h3", "Evidence"));
        about.evidence.forEach(function (ev) {
          panel.appendChild(el("blockquote", ev.text));
          var source = el("p", null, "muted");
          source.appendChild(el("span", "— "));
          source.appendChild(nodeButton(papers[ev.paper].title, papers[ev.paper].node));
          panel.appendChild(source);
        });
      }
    }
  }

  network.on("click", function (params) {
    if (params.nodes.length) showDetails(params.nodes[0]);
  });

  // ---- leaderboard ----
  var board = document.getElementById("kg-leaderboard");
  var datasetSelect = document.getElementById("kg-board-dataset");
  var metricSelect = document.getElementById("kg-board-metric");
  var orderButton = document.getElementById("kg-board-order");
  var boardNote = document.getElementById("kg-board-note");
  var boardBody = document.querySelector("#kg-board-table tbody");
  var NO_DATASET = "(no dataset)";
  var lowerIsBetter = false;

  function datasetOf(row) { return row.dataset || NO_DATASET; }
  function uniqueSorted(values) {
    return values.filter(function (v, i) { return values.indexOf(v) === i; })
      .sort(function (a, b) { return a.localeCompare(b); });
  }
  function fillSelect(select, values, counts) {
    select.replaceChildren();
    values.forEach(function (value) {
      var option = el("option", value + " (" + counts[value] + ")");
      option.value = value;
      select.appendChild(option);
    });
  }
  function countBy(rows, key) {
    var counts = {};
    rows.forEach(function (r) { var k = key(r); counts[k] = (counts[k] || 0) + 1; });
    return counts;
  }
  function fillDatasets() {
    var counts = countBy(page.results, datasetOf);
    var names = uniqueSorted(Object.keys(counts));
    names.sort(function (a, b) { return counts[b] - counts[a] || a.localeCompare(b); });
    fillSelect(datasetSelect, names, counts);
  }
  function fillMetrics() {
    var rows = page.results.filter(function (r) { return datasetOf(r) === datasetSelect.value; });
    var counts = countBy(rows, function (r) { return r.metric; });
    var names = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || a.localeCompare(b); });
    fillSelect(metricSelect, names, counts);
    lowerIsBetter = LOWER_IS_BETTER.test(metricSelect.value || "");
  }
  function showBoard() {
    orderButton.textContent = lowerIsBetter ? "Lower is better ↑" : "Higher is better ↓";
    var rows = page.results.filter(function (r) {
      return datasetOf(r) === datasetSelect.value && r.metric === metricSelect.value;
    });
    // Absolute values first, ranked; relative gains ("+3.2%") after them.
    rows.sort(function (a, b) {
      if (a.relative !== b.relative) return a.relative ? 1 : -1;
      return lowerIsBetter ? a.value - b.value : b.value - a.value;
    });
    boardBody.replaceChildren();
    rows.forEach(function (row, i) {
      var tr = el("tr");
      tr.appendChild(el("td", i + 1));
      var value = el("td", (row.relative ? "+" : "") + row.value + (row.unit ? (row.unit === "%" ? "%" : " " + row.unit) : ""), "value");
      tr.appendChild(value);
      var subject = el("td");
      subject.appendChild(row.subject ? el("span", row.subject) : el("span", "—", "muted"));
      tr.appendChild(subject);
      var paperCell = el("td");
      if (row.paper !== undefined) {
        var paper = papers[row.paper];
        paperCell.appendChild(nodeButton(paper.title, paper.node || row.node));
        (paper.code || []).forEach(function (url) {
          var a = link(url, "code");
          if (a) { paperCell.appendChild(document.createTextNode(" · ")); paperCell.appendChild(a); }
        });
      }
      tr.appendChild(paperCell);
      tr.appendChild(el("td", row.evidence || ""));
      boardBody.appendChild(tr);
    });
    boardNote.textContent = page.results.length
      ? rows.length + " results; values as the papers report them, not re-measured."
      : "No results with a metric and a value in this graph.";
  }
  datasetSelect.addEventListener("change", function () { fillMetrics(); showBoard(); });
  metricSelect.addEventListener("change", function () { lowerIsBetter = LOWER_IS_BETTER.test(metricSelect.value); showBoard(); });
  orderButton.addEventListener("click", function () { lowerIsBetter = !lowerIsBetter; showBoard(); });
  fillDatasets();
  fillMetrics();
  showBoard();

  // ---- tabs ----
  function showTab(name) {
    board.hidden = name !== "leaderboard";
    document.getElementById("kg-tab-graph").classList.toggle("active", name === "graph");
    document.getElementById("kg-tab-leaderboard").classList.toggle("active", name === "leaderboard");
  }
  document.getElementById("kg-tab-graph").addEventListener("click", function () { showTab("graph"); });
  document.getElementById("kg-tab-leaderboard").addEventListener("click", function () { showTab("leaderboard"); });

  if (page.cut.centres.length) focusNode(page.cut.centres[0]);
})();
