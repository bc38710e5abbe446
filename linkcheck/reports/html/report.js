(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const rows = data.citations;
  const table = document.getElementById("citations");
  const tbody = table.tBodies[0];
  const filters = {
    verdict: document.getElementById("filter-verdict"),
    anomaly: document.getElementById("filter-anomaly"),
    domain: document.getElementById("filter-domain"),
    article: document.getElementById("filter-article"),
    archived: document.getElementById("filter-archived"),
  };
  const search = document.getElementById("search");
  const shown = document.getElementById("shown");
  const LEVELS = { error: 3, warning: 2, info: 1, "": 0 };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  // Only http(s) links become clickable; javascript: and data: URLs stay text.
  function webHref(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }
  function captureHref(url) {
    if (typeof url !== "string") return null;
    return /^file:\/\//i.test(url) || /^https?:\/\//i.test(url) || !/^[a-z][a-z0-9+.-]*:/i.test(url) ? url : null;
  }
  function link(url, text) {
    const href = webHref(url);
    if (!href) return el("span", "", text);
    const a = el("a", "", text);
    a.href = href;
    a.rel = "noopener noreferrer";
    return a;
  }

  // The archived copy beside the verdict: a link and its date, or why there is none.
  function archivedCopy(row) {
    const box = el("span", "small archived archived-" + row.archived);
    if (row.archived === "found") {
      const href = captureHref(row.archived_href);
      const label = "archived copy " + (row.archived_at || "");
      if (href) {
        const a = el("a", "", label);
        a.href = href;
        a.rel = "noopener noreferrer";
        box.appendChild(a);
      } else {
        box.appendChild(el("span", "", label));
      }
    } else {
      box.appendChild(el("span", "", row.archived === "none" ? "no archived copy" : "archived copy: lookup failed"));
    }
    if (row.archived_note) box.appendChild(el("span", "note", " (" + row.archived_note + ")"));
    return box;
  }

  // A quotation tied to the citation: found, not found (it stands out), or not compared.
  const QUOTE_STATES = {
    true: ["quote-found", "\u2713 quote found"],
    false: ["quote-missing", "\u2717 quote not found"],
    null: ["quote-unknown", "quote not compared"],
  };
  function quoteLine(quote, from) {
    const [className, label] = QUOTE_STATES[String(quote.found)] || QUOTE_STATES.null;
    const line = el("span", "small quote " + className);
    line.appendChild(el("span", "quote-state", label + (from && quote.found !== null ? " in the archived copy" : "") + ": "));
    line.appendChild(el("q", "", quote.text));
    return line;
  }

  function buildRow(row) {
    const tr = document.createElement("tr");
    tr.dataset.verdict = row.verdict;
    tr.dataset.level = row.level;
    tr.dataset.domain = row.domain;
    tr.dataset.anomalies = row.anomalies.map((a) => a.code).join(" ");
    if (row.level) tr.className = "lvl-" + row.level;

    const level = el("td");
    if (row.level) level.appendChild(el("span", "pill lvl-" + row.level, row.level));
    tr.appendChild(level);

    const article = el("td");
    const title = el("span", "clamp", row.article);
    title.title = row.article;
    article.appendChild(title);
    const where = row.line ? row.source + ":" + row.line : row.page ? row.source + " p. " + row.page : row.source;
    article.appendChild(el("span", "small", where));
    tr.appendChild(article);

    const url = el("td");
    url.appendChild(link(row.href, row.url));
    if (row.final_url) {
      const final = el("span", "small", "\u2192 ");
      final.appendChild(link(row.final_href, row.final_url));
      url.appendChild(final);
    }
    if (row.context) url.appendChild(el("span", "small", row.context));
    for (const quote of row.quotes) url.appendChild(quoteLine(quote, row.quotes_from));
    if (row.suggested) {
      const box = el("span", "small suggested", "suggested: ");
      box.appendChild(link(row.suggested.href, row.suggested.url));
      box.appendChild(el("span", "note", " (" + row.suggested.method + ", confidence " +
        Number(row.suggested.confidence).toFixed(2) + ": " + row.suggested.evidence + ")"));
      url.appendChild(box);
    }
    tr.appendChild(url);

    const verdict = el("td");
    verdict.appendChild(el("span", "pill" + (row.verdict_level ? " lvl-" + row.verdict_level : ""), row.verdict));
    if (row.error) verdict.appendChild(el("span", "small", row.error));
    if (row.archived) verdict.appendChild(archivedCopy(row));
    tr.appendChild(verdict);

    tr.appendChild(el("td", "num", row.status));

    const anomalies = el("td");
    for (const a of row.anomalies) {
      const p = el("p", "anomaly");
      p.appendChild(el("span", "pill lvl-" + a.severity, a.code));
      p.appendChild(document.createTextNode(" "));
      p.appendChild(el("span", "", a.message));
      anomalies.appendChild(p);
    }
    tr.appendChild(anomalies);

    const capture = el("td");
    const captureUrl = captureHref(row.capture);
    if (captureUrl) {
      const a = el("a", "", "snapshot");
      a.href = captureUrl;
      if (row.captured_at) a.title = "captured " + row.captured_at;
      capture.appendChild(a);
    }
    tr.appendChild(capture);

    tr.appendChild(el("td", "num", row.last_ok ? row.last_ok.replace("T", " ") : ""));
    const streak = el("td", "num", row.streak === null ? "" : row.streak);
    if (row.dead) streak.appendChild(el("span", "tag", "dead"));
    if (row.flapping) streak.appendChild(el("span", "tag", "flapping"));
    tr.appendChild(streak);

    row.tr = tr;
    row.codes = row.anomalies.map((a) => a.code);
    row.text = [row.article, row.source, row.url, row.final_url, row.context, row.verdict, row.error,
      row.status, row.domain, row.archived_note, row.suggested && row.suggested.url].concat(row.anomalies.map((a) => a.code + " " + a.message))
      .concat(row.quotes.map((q) => q.text))
      .filter((v) => v !== null && v !== undefined).join("\n").toLowerCase();
    return tr;
  }

  function fillSelect(select, pairs) {
    for (const [value, label] of pairs) {
      const option = el("option", "", label);
      option.value = value;
      select.appendChild(option);
    }
  }
  function uniqueSorted(values) {
    return Array.from(new Set(values)).sort((a, b) => a.localeCompare(b));
  }

  const emptyRow = el("tr", "empty");
  const emptyCell = el("td", "", "No citation matches these filters.");
  emptyCell.colSpan = table.querySelectorAll("thead th").length;
  emptyRow.appendChild(emptyCell);
  emptyRow.hidden = true;

  function apply() {
    const verdict = filters.verdict.value;
    const anomaly = filters.anomaly.value;
    const domain = filters.domain.value;
    const article = filters.article.value;
    const archived = filters.archived.value;
    const query = search.value.trim().toLowerCase();
    let count = 0;
    for (const row of rows) {
      const visible = (!verdict || row.verdict === verdict) && (!anomaly || row.codes.includes(anomaly)) &&
        (!domain || row.domain === domain) && (!article || row.source === article) &&
        (!archived || row.archived === archived) && (!query || row.text.includes(query));
      row.tr.hidden = !visible;
      if (visible) count += 1;
    }
    emptyRow.hidden = count !== 0;
    shown.textContent = "Showing " + count + " of " + rows.length + " citations";
  }

  function clearFilters() {
    for (const select of Object.values(filters)) select.value = "";
    search.value = "";
  }

  const KEYS = {
    level: (r) => LEVELS[r.level],
    article: (r) => r.article.toLowerCase(),
    url: (r) => r.url.toLowerCase(),
    verdict: (r) => r.verdict,
    status: (r) => r.status,
    anomalies: (r) => r.anomalies.length,
    capture: (r) => r.captured_at,
    last_ok: (r) => r.last_ok,
    streak: (r) => r.streak,
  };
  let sortKey = null;
  let sortDir = 1;
  function compare(a, b) {
    const x = KEYS[sortKey](a);
    const y = KEYS[sortKey](b);
    // Blanks sort last in both directions.
    const xBlank = x === null || x === undefined || x === "";
    const yBlank = y === null || y === undefined || y === "";
    if (xBlank || yBlank) return xBlank && yBlank ? a.index - b.index : xBlank ? 1 : -1;
    if (x < y) return -sortDir;
    if (x > y) return sortDir;
    return a.index - b.index;
  }
  function sortBy(key) {
    sortDir = sortKey === key ? -sortDir : 1;
    sortKey = key;
    rows.sort(compare);
    for (const row of rows) tbody.appendChild(row.tr);
    tbody.appendChild(emptyRow);
    for (const th of table.querySelectorAll("thead th")) {
      if (th.dataset.key === key) th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    }
  }

  for (const row of rows) tbody.appendChild(buildRow(row));
  tbody.appendChild(emptyRow);
  fillSelect(filters.verdict, uniqueSorted(rows.map((r) => r.verdict)).map((v) => [v, v]));
  fillSelect(filters.anomaly, uniqueSorted(rows.flatMap((r) => r.codes)).map((v) => [v, v]));
  fillSelect(filters.domain, uniqueSorted(rows.map((r) => r.domain).filter((d) => d)).map((v) => [v, v]));
  const articles = new Map();
  for (const row of rows) if (!articles.has(row.source)) articles.set(row.source, row.article);
  fillSelect(filters.article, Array.from(articles.entries()));

  for (const control of Object.values(filters)) control.addEventListener("change", apply);
  search.addEventListener("input", apply);
  document.getElementById("reset").addEventListener("click", () => { clearFilters(); apply(); });
  for (const th of table.querySelectorAll("thead th[data-key]")) {
    th.querySelector("button").addEventListener("click", () => sortBy(th.dataset.key));
  }
  function focusTable() {
    apply();
    document.getElementById("filters").scrollIntoView({ block: "start" });
  }
  for (const badge of document.querySelectorAll("[data-anomaly]")) {
    badge.addEventListener("click", () => {
      clearFilters();
      filters.anomaly.value = badge.dataset.anomaly;
      focusTable();
    });
  }
  for (const bar of document.querySelectorAll("[data-verdict-filter]")) {
    bar.addEventListener("click", () => {
      clearFilters();
      filters.verdict.value = bar.dataset.verdictFilter;
      focusTable();
    });
  }
  apply();
})();
