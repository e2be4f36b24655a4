/* The living documentation's requirements tree, rendered from the embedded JSON: only the rows on
   screen exist in the page (a virtual list over the whole filtered tree), so ten thousand scenarios
   open and filter as fast as a hundred. Search, status and tag filters, folding and deep links
   (#folder:…, #<feature uri>, #<uri>:<line> of a scenario or an Examples row) all work on the data. */
(async function () {
  "use strict";
  performance.mark("living-docs-script");
  // The data is gzipped JSON in base64 (a tenth of the bytes to parse), unpacked by the browser.
  async function inflate(element) {
    const text = atob(element.textContent);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  }
  const DATA = JSON.parse(await inflate(document.getElementById("living-docs-tree")));
  performance.mark("living-docs-tree");
  const ICONS = DATA.icons;
  // The runs' steps come in chunks, each read (JSON.parse) only when one of its runs is shown or
  // searched: no long task blocks a keystroke. They are inflated after the tree is drawn.
  const chunks = Array.from(document.querySelectorAll("script.living-docs-steps"), (element) => ({ element, text: null, steps: null }));
  const CHUNK = DATA.chunk;
  function stepsOf(run) {
    const chunk = chunks[Math.floor(run.at / CHUNK)];
    if (chunk.steps === null) {
      if (chunk.text === null) return null;
      chunk.steps = JSON.parse(chunk.text);
      chunk.text = "";
    }
    return chunk.steps[run.at % CHUNK];
  }
  let stepsArrived = null; // true once every chunk is inflated
  let stepsReady = null; // the promise of that
  const allSteps = () => stepsArrived;
  const OVERSCAN = 600; // px rendered beyond the viewport, above and below
  const $ = (id) => document.getElementById(id);
  const search = $("search"), tagFilter = $("tag-filter"), shown = $("shown"), controls = $("controls");
  const list = $("list"), before = $("before"), after = $("after"), rowsEl = $("rows");
  const chips = Array.from(document.querySelectorAll(".chip[data-status]"));

  const esc = LivingSteps.esc;
  const badge = (status) => LivingSteps.badge(status, ICONS);
  const tagList = (tags) => tags.map((t) => `<span class="tag">${esc(t)}</span>`).join("");
  const narrative = (text) => (text ? `<div class="narrative">${esc(text)}</div>` : "");
  const background = (steps) => steps.length
    ? `<div class="background"><span class="keyword">Background</span><ol>${steps.map(([k, t]) => `<li><span class="keyword">${esc(k)}</span> ${esc(t)}</li>`).join("")}</ol></div>`
    : "";

  // Everything addressable, by the id a link uses; and every run, for counting and searching.
  const byId = new Map();
  const runs = [];
  const runById = new Map();
  for (const folder of DATA.folders) {
    byId.set(folder.id, { kind: "folder", folder });
    for (const feature of folder.features) {
      feature.id = feature.uri;
      byId.set(feature.id, { kind: "feature", folder, feature });
      feature.rules.forEach((rule, r) => {
        rule.key = `${feature.id}#rule-${r}`;
        for (const scenario of rule.scenarios) {
          // What the JSON leaves out when empty, or shared with the scenario
          scenario.id = `${feature.uri}:${scenario.line}`;
          scenario.keyword = scenario.keyword || "Scenario";
          scenario.tags = scenario.tags || []; scenario.description = scenario.description || "";
          scenario.outline = Boolean(scenario.outline);
          const inherited = Array.from(new Set([...feature.tags, ...rule.tags, ...scenario.tags]));
          byId.set(scenario.id, { kind: "scenario", folder, feature, scenario });
          for (const run of scenario.runs) {
            run.scenario = scenario; run.rule = rule; run.feature = feature;
            run.id = run.line ? `${feature.uri}:${run.line}` : scenario.id;
            run.name = scenario.name;
            if (!run.tags) run.tags = inherited;
            if (scenario.outline) byId.set(run.id, { kind: "run", folder, feature, scenario, run });
            runs.push(run);
            runById.set(run.id, run);
          }
        }
      });
    }
  }

  const state = { text: "", statuses: new Set(), tag: "" };
  const opened = new Map(); // scenario or Examples row id -> open, as the reader left it
  const collapsed = new Set(); // feature ids folded away
  const filtering = () => Boolean(state.text || state.statuses.size || state.tag);
  // Scenarios that did not pass are open until the reader closes them; the rest until opened.
  const isOpen = (id, status) => (opened.has(id) ? opened.get(id) : status !== "passed");

  function haystack(run) {
    if (run.hay === undefined) {
      const example = (run.example || []).flat(); // an Examples row is found by its values too
      const names = [run.feature.name, run.rule.name, run.scenario.name, ...run.tags, ...example].join("\n").toLowerCase();
      const steps = stepsOf(run);
      if (steps === null) return names; // not inflated yet: searched again once it is
      run.hay = `${names}\n${LivingSteps.searchText(steps)}`;
    }
    return run.hay;
  }
  const matches = (run) =>
    (!state.statuses.size || state.statuses.has(run.status)) &&
    (!state.tag || run.tags.includes(state.tag)) &&
    (!state.text || haystack(run).includes(state.text));

  // The rows of the filtered tree: empty folders, features, rules and Examples rows drop out.
  let rows = [];
  let shownRuns = 0;
  let shownKeys = new Set(); // the folders and features shown, for the contents on the left
  function buildRows() {
    rows = [];
    shownRuns = 0;
    shownKeys = new Set();
    const narrowed = filtering();
    for (const folder of DATA.folders) {
      const folderRows = [];
      for (const feature of folder.features) {
        const featureRows = [];
        for (const rule of feature.rules) {
          const ruleRows = [];
          for (const scenario of rule.scenarios) {
            const visible = narrowed ? scenario.runs.filter(matches) : scenario.runs;
            if (narrowed && !visible.length) continue;
            shownRuns += visible.length;
            // an outline's row differs with the Examples rows shown; any other row never does
            const sig = visible.length === scenario.runs.length ? "" : visible.map((run) => run.at).join(",");
            ruleRows.push({ kind: "scenario", key: scenario.id, sig, scenario, runs: visible });
          }
          if (!ruleRows.length) continue;
          if (rule.name) featureRows.push({ kind: "rule", key: rule.key, rule });
          featureRows.push(...ruleRows);
        }
        if (!featureRows.length && (narrowed || !feature.rules.length)) continue;
        folderRows.push({ kind: "feature", key: feature.id, feature });
        shownKeys.add(feature.id);
        if (!collapsed.has(feature.id)) folderRows.push(...featureRows);
      }
      if (folderRows.length) {
        rows.push({ kind: "folder", key: folder.id, folder }, ...folderRows);
        shownKeys.add(folder.id);
      }
    }
  }

  function runBody(run) {
    const steps = stepsOf(run);
    return steps === null ? '<p class="meta reading-steps">Reading the steps…</p>' : LivingSteps.render(steps, ICONS);
  }
  function exampleRow(run) {
    const open = isOpen(run.id, run.status);
    const cells = run.example.map(([k, v]) => `${esc(k)} = “${esc(v)}”`).join(", ");
    return `<details class="run" id="${esc(run.id)}" data-status="${esc(run.status)}"${open ? " open" : ""}><summary>${badge(run.status)} <span class="example">Example: ${cells}</span><span class="took">${esc(run.took)}</span></summary>${open ? runBody(run) : ""}</details>`;
  }
  function scenarioBody(row) {
    const { scenario, runs: visible } = row;
    let body = narrative(scenario.description);
    if (!scenario.runs.length) return body + '<p class="meta">This scenario did not run.</p>';
    if (!scenario.outline) return body + runBody(visible[0]);
    const note = visible.length === scenario.runs.length
      ? `${visible.length} Examples row${visible.length === 1 ? "" : "s"}, each a scenario of its own`
      : `${visible.length} of ${scenario.runs.length} Examples rows match`;
    return body + `<p class="outline-note">${note}</p>` + visible.map(exampleRow).join("");
  }
  function rowHtml(row) {
    switch (row.kind) {
      case "folder":
        return `<section class="row folder" id="${esc(row.folder.id)}"><h2 class="name">${esc(row.folder.title)}</h2>${row.folder.intro ? `<div class="intro">${row.folder.intro}</div>` : ""}</section>`;
      case "feature": {
        const f = row.feature;
        return `<div class="row feature" id="${esc(f.id)}"><div class="feature-head" role="button" tabindex="0" aria-expanded="${!collapsed.has(f.id)}">${badge(f.status)} Feature: <span class="name">${esc(f.name)}</span> ${tagList(f.tags)} <span class="meta">${esc(f.uri)}</span></div>${narrative(f.description)}${background(f.background)}</div>`;
      }
      case "rule":
        return `<div class="row rule"><h4 class="rule"><span class="name">${esc(row.rule.name)}</span> ${tagList(row.rule.tags)}</h4>${narrative(row.rule.description)}${background(row.rule.background)}</div>`;
      default: {
        const s = row.scenario;
        const single = !s.outline && s.runs.length === 1;
        const open = isOpen(s.id, s.status);
        return `<details class="row scenario st-${esc(s.status)}" id="${esc(s.id)}"${open ? " open" : ""}><summary>${badge(s.status)} <span class="keyword">${esc(s.keyword)}:</span> <span class="name">${esc(s.name)}</span> ${tagList(s.tags)}${single ? `<span class="took">${esc(s.runs[0].took)}</span>` : ""}</summary>${open ? scenarioBody(row) : ""}</details>`;
      }
    }
  }
  const template = document.createElement("template");
  function create(row) {
    template.innerHTML = rowHtml(row);
    const element = template.content.firstElementChild;
    element.rowData = row;
    return element;
  }

  // The virtual list: measured heights where a row has been seen, estimates elsewhere.
  let heights = new Map();
  let offsets = new Float64Array(1);
  let rendered = new Map(); // key -> element, for the rows currently in the page
  let first = 0, last = 0;
  // Estimates learn from what was measured: the average height of each kind of row seen so far.
  const seen = new Map(); // kind -> [total height, count]
  const kindOf = (row) => (row.kind === "scenario" && isOpen(row.scenario.id, row.scenario.status) ? "open" : row.kind);
  function estimate(row) {
    const kind = kindOf(row);
    const known = seen.get(kind);
    if (kind === "open") {
      const size = row.runs.reduce((sum, run) => sum + run.size, 0);
      return known ? 40 + (known[0] / known[1]) * size : 40 + 30 * size;
    }
    if (known) return known[0] / known[1];
    return { folder: 120, feature: 80, rule: 40, scenario: 34 }[kind];
  }
  function learn(row, height) {
    const kind = kindOf(row);
    const per = kind === "open" ? Math.max(0, height - 40) / Math.max(1, row.runs.reduce((sum, run) => sum + run.size, 0)) : height;
    const known = seen.get(kind) || [0, 0];
    if (known[1] < 200) seen.set(kind, [known[0] + per, known[1] + 1]);
  }
  const heightKey = (row) => (row.sig ? `${row.key}#${row.sig}` : row.key);
  const heightOf = (i) => { const h = heights.get(heightKey(rows[i])); return h === undefined ? estimate(rows[i]) : h; };
  function recompute() {
    offsets = new Float64Array(rows.length + 1);
    for (let i = 0; i < rows.length; i++) offsets[i + 1] = offsets[i] + heightOf(i);
  }
  function indexAt(y) { // the row that covers list offset y
    let lo = 0, hi = rows.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (offsets[mid] <= y) lo = mid; else hi = mid - 1; }
    return Math.max(0, lo);
  }
  const listTop = () => list.getBoundingClientRect().top + window.scrollY;
  const stickyHeight = () => controls.getBoundingClientRect().height;
  const GAP = 8; // px between the sticky search bar and a row a link lands on (as the CSS has it)
  function spacers() {
    before.style.height = `${offsets[first]}px`;
    after.style.height = `${offsets[rows.length] - offsets[last]}px`;
  }
  const resizes = new ResizeObserver(() => schedule());
  function mount(from, to) {
    const keep = new Map();
    for (let i = from; i < to; i++) {
      const key = rows[i].key;
      let element = rendered.get(key);
      if (!element || (element.rowData.sig || "") !== (rows[i].sig || "")) {
        if (element) { resizes.unobserve(element); element.remove(); }
        element = create(rows[i]);
        resizes.observe(element);
      }
      element.rowData = rows[i]; // the same row as drawn: kept, with whatever the reader opened
      keep.set(key, element);
    }
    for (const [key, element] of rendered) {
      if (keep.get(key) !== element) { resizes.unobserve(element); element.remove(); }
    }
    let previous = null;
    for (const element of keep.values()) {
      const wanted = previous ? previous.nextSibling : rowsEl.firstChild;
      if (element !== wanted) rowsEl.insertBefore(element, wanted);
      previous = element;
    }
    rendered = keep; first = from; last = to;
    spacers();
  }
  function measure() {
    let changed = false;
    for (let i = first; i < last; i++) {
      const height = rendered.get(rows[i].key).getBoundingClientRect().height;
      const key = heightKey(rows[i]);
      if (!heights.has(key)) learn(rows[i], height);
      if (Math.abs(height - heightOf(i)) > 0.5 || !heights.has(key)) {
        heights.set(key, height);
        changed = true;
      }
    }
    return changed;
  }
  function paint() {
    const top = listTop(); // rows change below the list's top, never above it
    for (let pass = 0; pass < 4; pass++) {
      const viewTop = window.scrollY - top;
      const from = rows.length ? indexAt(Math.max(0, viewTop - OVERSCAN)) : 0;
      let to = from;
      const bottom = viewTop + window.innerHeight + OVERSCAN;
      while (to < rows.length && offsets[to] < bottom) to++;
      // the row the reader sees first, just below the sticky bar, stays where it is
      const anchor = rows.length ? indexAt(Math.max(0, viewTop + stickyHeight() + GAP)) : 0;
      const anchorBefore = offsets[anchor];
      mount(from, to);
      if (!measure()) break;
      recompute();
      spacers();
      const shift = offsets[anchor] - anchorBefore;
      if (shift && viewTop > 0) window.scrollBy(0, shift); // rows above were not as estimated
    }
  }
  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; paint(); });
  }

  // Filters, the counter, the nav and "nothing matches".
  const navFeatures = new Map(Array.from(document.querySelectorAll("nav li[data-feature]"), (li) => [li.dataset.feature, li]));
  const navFolders = new Map(Array.from(document.querySelectorAll("nav li[data-folder]"), (li) => [li.dataset.folder, li]));
  function describeFilters() {
    const parts = [];
    if (state.text) parts.push(`“${search.value.trim()}”`);
    if (state.statuses.size) parts.push(`status ${Array.from(state.statuses).join(" or ")}`);
    if (state.tag) parts.push(`tag ${state.tag}`);
    return parts.join(" with ");
  }
  function refresh() {
    buildRows(); // rows already drawn are kept where they are still shown, as they are
    first = last = 0;
    recompute();
    spacers();
    shown.textContent = `${shownRuns} of ${runs.length} scenario${runs.length === 1 ? "" : "s"} shown`;
    const nothing = filtering() && shownRuns === 0;
    $("nothing").hidden = !nothing;
    $("nothing-what").textContent = nothing ? describeFilters() : "";
    paint();
    clearTimeout(navUpdate); // the contents follow once the rows are drawn: typing never waits on it
    navUpdate = setTimeout(() => {
      for (const [id, li] of navFeatures) li.classList.toggle("filtered-out", !shownKeys.has(id));
      for (const [id, li] of navFolders) li.classList.toggle("filtered-out", !shownKeys.has(id));
    }, 150);
  }
  let navUpdate = 0;
  function applyFilters() {
    const top = listTop() - stickyHeight();
    if (window.scrollY > top) window.scrollTo(0, top); // the first result just below the search bar
    refresh();
  }
  search.addEventListener("input", () => {
    state.text = search.value.trim().toLowerCase();
    if (state.text && allSteps() === null) stepsReady.then(applyFilters); else applyFilters();
  });
  tagFilter.addEventListener("change", () => { state.tag = tagFilter.value; applyFilters(); });
  for (const chip of chips) {
    chip.addEventListener("click", () => {
      const on = chip.getAttribute("aria-pressed") !== "true";
      chip.setAttribute("aria-pressed", String(on));
      if (on) state.statuses.add(chip.dataset.status); else state.statuses.delete(chip.dataset.status);
      applyFilters();
    });
  }
  function clearFilters() {
    search.value = ""; tagFilter.value = "";
    state.text = ""; state.tag = ""; state.statuses.clear();
    for (const chip of chips) chip.setAttribute("aria-pressed", "false");
  }
  $("clear-filters").addEventListener("click", () => { clearFilters(); applyFilters(); });

  // Opening a scenario or an Examples row renders its steps then; folding a feature hides its rows.
  rowsEl.addEventListener("toggle", (event) => {
    const details = event.target;
    if (details.classList.contains("scenario")) {
      opened.set(details.id, details.open);
      if (details.open && details.children.length === 1) details.insertAdjacentHTML("beforeend", scenarioBody(details.rowData));
    } else if (details.classList.contains("run")) {
      opened.set(details.id, details.open);
      const run = byId.get(details.id).run;
      if (details.open && details.children.length === 1) details.insertAdjacentHTML("beforeend", runBody(run));
    }
    schedule();
  }, true);
  function fold(head) {
    const id = head.closest(".feature").id;
    if (collapsed.has(id)) collapsed.delete(id); else collapsed.add(id);
    refresh();
  }
  rowsEl.addEventListener("click", (event) => {
    const head = event.target.closest(".feature-head");
    if (head) fold(head);
  });
  rowsEl.addEventListener("keydown", (event) => {
    const head = event.target.closest(".feature-head");
    if (head && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); fold(head); }
  });

  // Deep links land on the row, just below the sticky search bar, whatever is rendered.
  let landing = null; // the id a link landed on, until the reader scrolls on their own
  for (const event of ["wheel", "keydown", "mousedown", "touchstart"]) {
    window.addEventListener(event, () => { landing = null; }, { passive: true });
  }
  function go(id) {
    const known = byId.get(id);
    if (!known) return false;
    landing = id;
    const rowKey = known.kind === "run" ? known.scenario.id : id;
    let index = rows.findIndex((row) => row.key === rowKey);
    const runHidden = known.kind === "run" && index >= 0 && !rows[index].runs.includes(known.run);
    if (index < 0 || runHidden) {
      clearFilters();
      collapsed.delete(known.feature ? known.feature.id : "");
      refresh();
      index = rows.findIndex((row) => row.key === rowKey);
      if (index < 0) return false;
    }
    if (known.kind === "run" || known.kind === "scenario") {
      const wasOpen = isOpen(rowKey, known.scenario.status) && (known.kind !== "run" || isOpen(id, known.run.status));
      opened.set(rowKey, true);
      if (known.kind === "run") opened.set(id, true);
      if (!wasOpen && rendered.has(rowKey)) { const stale = rendered.get(rowKey); resizes.unobserve(stale); stale.remove(); rendered.delete(rowKey); }
    }
    window.scrollTo(0, listTop() + offsets[index] - stickyHeight() - GAP);
    paint();
    for (let attempt = 0; attempt < 4; attempt++) { // estimates above it become measurements
      const target = $(id);
      if (!target) break;
      const off = target.getBoundingClientRect().top - stickyHeight() - GAP;
      if (Math.abs(off) < 1) break;
      window.scrollBy(0, off);
      paint();
    }
    return true;
  }
  const hashId = () => decodeURIComponent(location.hash.slice(1));
  window.addEventListener("hashchange", () => go(hashId()));
  document.addEventListener("click", (event) => {
    const link = event.target.closest('a[href^="#"]');
    if (!link) return;
    const id = decodeURIComponent(link.getAttribute("href").slice(1));
    if (!byId.has(id)) return; // the glossary and coverage are plain HTML: the browser lands there
    event.preventDefault();
    if (hashId() !== id) history.pushState(null, "", `#${encodeURIComponent(id)}`);
    go(id);
  });

  // The coverage table lists its scenarios only when asked.
  for (const details of document.querySelectorAll("details.op-scenarios")) {
    details.addEventListener("toggle", () => {
      const list = details.querySelector("ul");
      if (!details.open || list.childElementCount) return;
      list.innerHTML = DATA.coverage[Number(details.dataset.op)].map((id) => {
        const run = runById.get(id);
        const example = run && run.example ? ` (${run.example.map(([k, v]) => `${k} = ${v}`).join(", ")})` : "";
        const name = run ? `${run.feature.name}: ${run.name}${example}` : id;
        return `<li><a href="#${esc(encodeURIComponent(id))}">${esc(name)}</a></li>`;
      }).join("");
    });
  }

  function stickyVariable() { document.documentElement.style.setProperty("--sticky", `${stickyHeight()}px`); }
  let width = window.innerWidth;
  window.addEventListener("scroll", schedule, { passive: true });
  window.addEventListener("resize", () => {
    stickyVariable();
    if (window.innerWidth !== width) { width = window.innerWidth; heights = new Map(); recompute(); }
    schedule();
  });
  stickyVariable();
  refresh();
  if (location.hash) go(hashId());
  performance.mark("living-docs-ready"); // drawn: the page is open
  document.documentElement.dataset.ready = "true";
  stepsReady = Promise.all(chunks.map(async (chunk) => { chunk.text = await inflate(chunk.element); }));
  await stepsReady;
  stepsArrived = true;
  for (const element of Array.from(rendered.values())) {
    if (element.querySelector(".reading-steps")) { resizes.unobserve(element); element.remove(); rendered.delete(element.rowData.key); }
  }
  paint();
  if (landing) go(landing); // the steps drawn above it may have moved it
  performance.mark("living-docs-steps");
  // Ready every run for searching, a slice at a time, so that the first search costs no more than the next.
  let next = 0;
  (function prepare() {
    const until = Math.min(runs.length, next + CHUNK);
    for (; next < until; next++) haystack(runs[next]);
    if (next < runs.length) setTimeout(prepare, 0);
    else performance.mark("living-docs-searchable");
  })();
})();
