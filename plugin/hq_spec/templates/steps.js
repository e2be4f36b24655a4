/* A run's steps and their evidence as HTML: the one rendering of a scenario's steps, for the living
   documentation and any other page that shows a scenario (data: hq_spec.report.page_data.run_steps;
   styles: scenario.css). LivingSteps.render(steps, icons) returns the HTML of an <ol class="steps">. */
window.LivingSteps = (function () {
  "use strict";
  const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  const esc = (text) => String(text == null ? "" : text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
  const badge = (status, icons) =>
    `<span class="status status-${esc(status)}" title="${esc(status)}"><span aria-hidden="true">${esc(icons[status] || "•")}</span> ${esc(status)}</span>`;

  function pretty(body) {
    const text = String(body);
    if (!/^\s*[[{]/.test(text)) return text;
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch (error) { return text; }
  }
  const cells = (row, tag, changed) =>
    row.map((cell, i) => `<${tag}${changed && changed.includes(i) ? ' class="cell-changed"' : ""}>${esc(cell)}</${tag}>`).join("");
  const table = (rows) => `<table class="data">${rows.map((row) => `<tr>${cells(row, "td")}</tr>`).join("")}</table>`;
  const MARK = { same: "", missing: "−", unexpected: "+" };
  function diff(rows) {
    const body = rows.map(([change, expected, observed, changed]) => change === "changed"
      ? `<tr class="diff-missing"><th scope="row">−</th>${cells(expected, "td", changed)}</tr><tr class="diff-unexpected"><th scope="row">+</th>${cells(observed, "td", changed)}</tr>`
      : `<tr class="diff-${esc(change)}"><th scope="row">${MARK[change]}</th>${cells(expected, "td")}</tr>`).join("");
    return `<table class="data diff" aria-label="the table as written against what was observed"><caption>− as written · + as observed</caption>${body}</table>`;
  }
  const headers = (pairs) => (pairs || []).map(([name, value]) => `<div class="header"><span>${esc(name)}:</span> ${esc(value)}</div>`).join("");
  function side(title, first, part) {
    return `<div><h6>${title}</h6><code>${esc(first)}</code>${headers(part.headers)}${part.body ? `<pre class="body">${esc(pretty(part.body))}</pre>` : ""}</div>`;
  }
  function evidence(item) {
    let html = `<div class="evidence-item evidence-${esc(item.kind)}"><div class="evidence-head"><strong>${esc(String(item.kind || "").toUpperCase())}</strong>${item.actor ? ` · ${esc(item.actor)}` : ""} · ${esc(item.summary)}</div>`;
    if (item.request && typeof item.request === "object") {
      const response = item.response && typeof item.response === "object" ? item.response : {};
      html += `<div class="exchange">${side("Request", `${item.request.method || ""} ${item.request.path || ""}`, item.request)}${side("Response", response.status == null ? "" : response.status, response)}</div>`;
    }
    if (Array.isArray(item.events)) {
      html += `<table class="data"><tr><th>event</th><th>data</th></tr>${item.events.map((e) => `<tr><td>${esc(e.event)}</td><td>${esc(e.data)}</td></tr>`).join("")}</table>`;
    }
    if (item.frame !== undefined) {
      html += `<div class="frame ${esc(item.direction)}">${item.direction === "sent" ? "→ sent" : "← received"} <code>${esc(item.frame)}</code></div>`;
    }
    return html + "</div>";
  }
  function step(s, icons) {
    let html = `<li class="step step-${esc(s.status)}"><div class="step-line">${badge(s.status, icons)} <span class="keyword">${esc(s.keyword)}</span> <span class="text">${esc(s.text)}</span> <span class="took">${esc(s.took)}</span></div>`;
    if (s.diff) html += diff(s.diff);
    else if (s.table) html += table(s.table);
    if (s.doc !== undefined) html += `<pre class="doc-string">${esc(s.doc)}</pre>`;
    if (s.message) html += `<pre class="reason">${esc(s.message)}</pre>`;
    if (s.evidence) html += `<details class="evidence"><summary>Evidence (${s.evidence.length})</summary>${s.evidence.map(evidence).join("")}</details>`;
    return html + "</li>";
  }
  function render(steps, icons) {
    return `<ol class="steps">${steps.map((s) => step(s, icons)).join("")}</ol>`;
  }
  /* Everything a search should find in a run's steps, lower-cased: headers stay out. */
  function searchText(steps) {
    const parts = [];
    for (const s of steps) {
      parts.push(s.keyword, s.text);
      if (s.table) for (const row of s.table) parts.push(...row);
      if (s.diff) for (const row of s.diff) { parts.push(...row[1]); if (row[2]) parts.push(...row[2]); }
      if (s.doc) parts.push(s.doc);
      if (s.message) parts.push(s.message);
      for (const item of s.evidence || []) {
        parts.push(item.summary || "");
        if (item.request && item.request.body) parts.push(String(item.request.body));
        if (item.response && item.response.body) parts.push(String(item.response.body));
        if (item.frame !== undefined) parts.push(String(item.frame));
        for (const e of item.events || []) parts.push(`${e.event} ${e.data}`);
      }
    }
    return parts.join("\n").toLowerCase();
  }
  return { render, searchText, esc, badge };
})();
