// The scenario studio's page: the requirements tree, the editor, suggestions, problems, runs, saving.
// Every judgement about steps (matching, suggestions, problems) is made by the server's Python engine.
"use strict";

const TOKEN = document.querySelector('meta[name="studio-token"]').content;
const MARKS = JSON.parse(document.querySelector('meta[name="studio-marks"]').content);
const DRAFT_PREFIX = "hq-studio:draft:";
const STEP_START = /^(\s*)(Given|When|Then|And|But|\*)(\s+)(.*)$/;
const KEYWORD_BEGUN = /^\s*[A-Za-z]{1,4}$/; // the start of a step keyword, perhaps

const $ = (id) => document.getElementById(id);
const source = $("source");
const state = {
  path: null, // the open feature, inside features/ ("comms/comms.feature")
  version: null, // the file on disk as opened: saving refuses if it changed since
  saved: "", // the text as last opened or saved
  problems: [],
  suggestions: [],
  keywords: null, // step keywords offered while one is being typed
  selected: 0,
  filling: null, // {options: [...]} while a fill-in word is selected
  programmatic: false, // true while the studio itself edits the text
  checkTimer: null,
  suggestTimer: null,
  checkSeq: 0,
  suggestSeq: 0,
};

// -- talking to the studio ------------------------------------------------------------------

async function api(path, body) {
  const options = { headers: { "x-studio-token": TOKEN } };
  if (body !== undefined) {
    options.method = "POST";
    options.headers["content-type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const data = await response.json().catch(() => ({ error: { message: "the studio did not answer" } }));
  if (!response.ok) {
    const failure = new Error((data.error && data.error.message) || response.statusText);
    failure.status = response.status;
    failure.code = data.error && data.error.code;
    failure.detail = (data.error && data.error.detail) || {};
    throw failure;
  }
  return data;
}

function escape(text) {
  return GherkinHighlight.escape(String(text));
}

function notice(message, kind = "info") {
  const box = $("notice");
  box.hidden = !message;
  box.className = `notice notice-${kind}`;
  box.textContent = message || "";
}

// -- the requirements tree --------------------------------------------------------------------

async function loadTree() {
  const { folders } = await api("/api/tree");
  const tree = $("tree");
  tree.innerHTML = "";
  for (const folder of folders) {
    const block = document.createElement("details");
    block.className = "folder";
    block.dataset.folder = folder.path;
    block.innerHTML = `<summary><span class="folder-name">${escape(folder.path === "." ? folder.title : folder.path)}</span> <span class="muted">${escape(folder.path === "." ? "" : folder.title)}</span></summary>`;
    if (folder.introduction) {
      const intro = document.createElement("div");
      intro.className = "intro";
      intro.innerHTML = folder.introduction; // rendered by the server from Markdown, raw HTML off
      block.append(intro);
    }
    for (const feature of folder.features) block.append(featureNode(feature));
    tree.append(block);
  }
}

function featureNode(feature) {
  const node = document.createElement("div");
  node.className = "feature-node";
  const open = document.createElement("button");
  open.type = "button";
  open.className = "link feature-link";
  open.textContent = feature.name;
  open.title = feature.path;
  open.addEventListener("click", () => openFeature(feature.path));
  node.append(open);
  if (feature.problem) {
    const problem = document.createElement("div");
    problem.className = "problem-text";
    problem.textContent = feature.problem;
    node.append(problem);
  }
  for (const rule of feature.rules) {
    const ruleNode = document.createElement("div");
    ruleNode.className = "rule-node";
    if (rule.name) {
      const title = document.createElement("div");
      title.className = "rule-name";
      title.textContent = rule.name;
      const add = document.createElement("button");
      add.type = "button";
      add.className = "link add-scenario";
      add.textContent = "+ new scenario";
      add.title = `Write a new scenario under "${rule.name}"`;
      add.addEventListener("click", () => newScenario(feature.path, rule.name));
      title.append(" ", add);
      ruleNode.append(title);
    }
    const list = document.createElement("ul");
    for (const scenario of rule.scenarios) {
      const item = document.createElement("li");
      const go = document.createElement("button");
      go.type = "button";
      go.className = "link scenario-link";
      go.textContent = scenario.name;
      go.addEventListener("click", async () => {
        await openFeature(feature.path);
        goToLine(lineOfScenario(scenario.name) || scenario.line);
      });
      item.append(go);
      list.append(item);
    }
    ruleNode.append(list);
    node.append(ruleNode);
  }
  return node;
}

// -- opening, drafts and saving --------------------------------------------------------------

function draftKey(path) {
  return DRAFT_PREFIX + path;
}

function keepDraft() {
  if (!state.path) return;
  if (source.value === state.saved) localStorage.removeItem(draftKey(state.path));
  else localStorage.setItem(draftKey(state.path), JSON.stringify({ text: source.value, version: state.version }));
  showState();
}

function showState() {
  const unsaved = state.path && source.value !== state.saved;
  $("file-state").textContent = !state.path ? "" : unsaved ? "● not saved yet (kept in this browser)" : "saved";
  $("file-state").className = `file-state ${unsaved ? "unsaved" : "clean"}`;
}

async function openFeature(path) {
  if (state.path === path) return;
  const opened = await api(`/api/feature?path=${encodeURIComponent(path)}`);
  state.path = path;
  state.version = opened.version;
  state.saved = opened.text;
  let text = opened.text;
  const draft = JSON.parse(localStorage.getItem(draftKey(path)) || "null");
  if (draft && draft.text !== opened.text) {
    text = draft.text;
    state.version = draft.version; // saving still compares with the file as it was first opened
    notice("Restored what you typed earlier in this browser; it is not saved yet.");
  } else {
    notice("");
  }
  $("editor").hidden = false;
  $("file-name").textContent = `features/${path}`;
  for (const id of ["run-scenario", "run-feature", "save"]) $(id).disabled = false;
  $("results").innerHTML = "";
  setText(text);
  source.focus();
  showState();
}

function setText(text, caret) {
  source.value = text;
  if (caret !== undefined) source.setSelectionRange(caret, caret);
  refresh();
  scheduleCheck(0);
}

function lineOfScenario(name) {
  const lines = source.value.split("\n");
  const index = lines.findIndex((line) => /^\s*(Scenario|Scenario Outline|Example):/.test(line) && line.split(":").slice(1).join(":").trim() === name);
  return index >= 0 ? index + 1 : null;
}

function goToLine(line) {
  const lines = source.value.split("\n");
  let offset = 0;
  for (let index = 0; index < line - 1 && index < lines.length; index += 1) offset += lines[index].length + 1;
  source.focus();
  source.setSelectionRange(offset, offset);
  const lineHeight = parseFloat(getComputedStyle(source).lineHeight);
  source.scrollTop = Math.max(0, (line - 5) * lineHeight);
  syncScroll();
}

async function newScenario(path, ruleName) {
  await openFeature(path);
  const lines = source.value.split("\n");
  const ruleIndex = lines.findIndex((line) => line.trim() === `Rule: ${ruleName}`);
  if (ruleIndex < 0) return;
  let end = lines.length;
  for (let index = ruleIndex + 1; index < lines.length; index += 1) {
    if (/^\s*Rule:/.test(lines[index])) {
      end = index;
      while (end > ruleIndex + 1 && /^\s*@/.test(lines[end - 1])) end -= 1; // the next rule's tags
      break;
    }
  }
  while (end > ruleIndex + 1 && lines[end - 1].trim() === "") end -= 1;
  lines.splice(end, 0, "", "    Scenario: ");
  const before = lines.slice(0, end + 2).join("\n");
  setText(lines.join("\n"), before.length);
  goToLine(end + 2);
  source.setSelectionRange(before.length, before.length);
  keepDraft();
  notice("Name the scenario after what it shows, then write its steps one per line.");
}

async function startSave() {
  if (!state.path) return;
  const preview = await api("/api/preview", { path: state.path, text: source.value });
  $("diff-name").textContent = `features/${state.path}`;
  $("diff").innerHTML = preview.diff
    ? preview.diff.split("\n").map((line) => {
      const kind = line.startsWith("+") && !line.startsWith("+++") ? "added" : line.startsWith("-") && !line.startsWith("---") ? "removed" : line.startsWith("@@") ? "hunk" : "same";
      return `<span class="diff-${kind}">${escape(line)}</span>`;
    }).join("\n")
    : '<span class="diff-same">Nothing changes.</span>';
  $("diff-problem").hidden = true;
  $("diff-reload").hidden = true;
  $("diff-save").disabled = false;
  $("diff-dialog").showModal();
}

async function confirmSave() {
  try {
    const saved = await api("/api/save", { path: state.path, text: source.value, version: state.version });
    state.version = saved.version;
    state.saved = saved.text;
    const caret = source.selectionStart;
    setText(saved.text, Math.min(caret, saved.text.length));
    localStorage.removeItem(draftKey(state.path));
    $("diff-dialog").close();
    notice(`Saved features/${state.path}.`, "ok");
    showState();
    loadTree();
  } catch (failure) {
    const problem = $("diff-problem");
    problem.hidden = false;
    problem.textContent = failure.message;
    if (failure.code === "changed_on_disk") {
      $("diff-reload").hidden = false;
      $("diff-save").disabled = true;
    }
  }
}

async function reloadFromDisk() {
  const path = state.path;
  localStorage.setItem(`${draftKey(path)}:before-reload`, source.value);
  localStorage.removeItem(draftKey(path));
  state.path = null;
  $("diff-dialog").close();
  await openFeature(path);
  notice("Opened the version on disk. What you had typed is kept in this browser's storage under " + `${draftKey(path)}:before-reload` + ".");
}

// -- the editor: highlighting, problems, suggestions -----------------------------------------

function refresh() {
  const problemLines = new Set(state.problems.map((problem) => problem.line));
  $("highlight").innerHTML = GherkinHighlight.render(source.value, problemLines) + "\n";
  const count = source.value.split("\n").length;
  const byLine = new Map();
  for (const problem of state.problems) byLine.set(problem.line, problem.message);
  let gutter = "";
  for (let line = 1; line <= count; line += 1) {
    const message = byLine.get(line);
    gutter += message
      ? `<span class="gutter-line problem-mark" title="${escape(message)}">● ${line}</span>`
      : `<span class="gutter-line">${line}</span>`;
  }
  $("gutter").innerHTML = gutter;
  syncScroll();
}

function syncScroll() {
  $("highlight").scrollTop = source.scrollTop;
  $("highlight").scrollLeft = source.scrollLeft;
  $("gutter").scrollTop = source.scrollTop;
  placePopup();
}

function scheduleCheck(delay = 150) {
  clearTimeout(state.checkTimer);
  state.checkTimer = setTimeout(check, delay);
}

async function check() {
  if (!state.path) return;
  const sequence = ++state.checkSeq;
  const text = source.value;
  try {
    const { problems } = await api("/api/check", { path: state.path, text });
    if (sequence !== state.checkSeq) return; // a newer check is on its way
    state.problems = problems;
    showProblems();
    refresh();
  } catch (failure) {
    showProblems(failure.message);
  }
}

function showProblems(failure) {
  const box = $("problems");
  if (failure) {
    box.innerHTML = `<p class="problem-text">${escape(failure)}</p>`;
    return;
  }
  if (!state.problems.length) {
    box.innerHTML = '<p class="all-good">✔ No problems: every step is a phrase HQ knows.</p>';
    return;
  }
  box.innerHTML = `<h2>${state.problems.length} problem${state.problems.length === 1 ? "" : "s"}</h2>`;
  const list = document.createElement("ol");
  for (const problem of state.problems) {
    const item = document.createElement("li");
    item.className = "problem";
    item.dataset.line = problem.line;
    item.innerHTML = `<button type="button" class="link">line ${problem.line}</button><pre class="problem-text">${escape(problem.message)}</pre>`;
    item.querySelector("button").addEventListener("click", () => goToLine(problem.line));
    list.append(item);
  }
  box.append(list);
}

function caretLine() {
  return source.value.slice(0, source.selectionStart).split("\n").length;
}

function currentLineBounds() {
  const text = source.value;
  const start = text.lastIndexOf("\n", source.selectionStart - 1) + 1;
  let end = text.indexOf("\n", source.selectionStart);
  if (end < 0) end = text.length;
  return { start, end, text: text.slice(start, end) };
}

function scheduleSuggest(delay = 60) {
  clearTimeout(state.suggestTimer);
  state.suggestTimer = setTimeout(suggest, delay);
}

async function suggest() {
  const { text } = currentLineBounds();
  const keywordBegun = KEYWORD_BEGUN.test(text); // "Gi": the server says which keywords it begins
  if (!STEP_START.test(text) && !/^\s*(Given|When|Then|And|But|\*)$/.test(text) && !keywordBegun) {
    closePopup();
    return;
  }
  const sequence = ++state.suggestSeq;
  const asked = { line: caretLine(), text };
  const answer = await api("/api/suggest", { path: state.path, text: source.value, line: asked.line });
  if (sequence !== state.suggestSeq) return;
  if (caretLine() !== asked.line || currentLineBounds().text !== asked.text) return; // moved on
  state.filling = null;
  state.suggestions = answer.suggestions;
  state.keywords = answer.keywords.length ? answer.keywords : null;
  state.selected = 0;
  if (state.keywords) {
    showKeyword(state.keywords[0]);
    renderPopup(state.keywords.map((k) => ({ html: `<span class="keyword">${escape(k.keyword)}</span>`, title: k.meaning })));
    return;
  }
  if (keywordBegun) {
    closePopup();
    return;
  }
  showPhrase(answer.suggestions[0], answer);
  const onlyExact = answer.suggestions.length === 1 && answer.suggestions[0].exact;
  if (!answer.suggestions.length || onlyExact) {
    closePopup();
    return;
  }
  renderPopup(answer.suggestions.map((s) => ({
    html: `${escape(s.insert).replace(/&lt;(\w+)&gt;/g, '<span class="hl-slot">&lt;$1&gt;</span>')}${s.exact ? ' <span class="exact">✔ matches</span>' : ""}`,
    title: s.meaning,
  })));
}

function showKeyword(choice) {
  $("phrase").innerHTML = `<h2>Keyword</h2>
    <p class="phrase-text"><span class="keyword">${escape(choice.keyword)}</span></p>
    <p class="meaning">${escape(choice.meaning)}</p>`;
}

function showPhrase(suggestion, answer) {
  const box = $("phrase");
  if (!suggestion) {
    box.innerHTML = `<h2>Phrases</h2><p class="muted">${answer && answer.typed ? "No phrase of the vocabulary begins like this; the problems below say what is nearest." : "Start a step with Given, When or Then."}</p>`;
    return;
  }
  box.innerHTML = `<h2>${suggestion.exact ? "✔ This step is the phrase" : "Phrase"}</h2>
    <p class="phrase-text"><span class="keyword">${escape(suggestion.keyword)}</span> ${escape(suggestion.phrase)}</p>
    <p class="meaning">${escape(suggestion.meaning || "(no description yet)")}</p>
    ${suggestion.example ? `<p class="example">For example: <code>${escape(suggestion.example)}</code></p>` : ""}
    ${suggestion.slots.filter((slot) => slot.options.length).map((slot) => `<p class="slot-options"><em>&lt;${escape(slot.name)}&gt;</em> may be: ${slot.options.map(escape).join(" · ")}</p>`).join("")}`;
}

function renderPopup(items) {
  const popup = $("popup");
  popup.innerHTML = "";
  items.forEach((item, index) => {
    const option = document.createElement("li");
    option.setAttribute("role", "option");
    option.className = index === state.selected ? "selected" : "";
    option.innerHTML = item.html;
    if (item.title) option.title = item.title;
    option.addEventListener("mousedown", (event) => {
      event.preventDefault(); // keep the focus (and the caret) in the editor
      state.selected = index;
      acceptSelected();
    });
    popup.append(option);
  });
  popup.hidden = false;
  placePopup();
}

function placePopup() {
  const popup = $("popup");
  if (popup.hidden) return;
  const style = getComputedStyle(source);
  const lineHeight = parseFloat(style.lineHeight);
  const before = source.value.slice(0, source.selectionStart).split("\n");
  const column = before[before.length - 1].length;
  const charWidth = measureChar();
  popup.style.top = `${before.length * lineHeight + parseFloat(style.paddingTop) - source.scrollTop}px`;
  popup.style.left = `${Math.min(column * charWidth, source.clientWidth - 300) + parseFloat(style.paddingLeft) - source.scrollLeft}px`;
}

let charWidthCache = 0;
function measureChar() {
  if (charWidthCache) return charWidthCache;
  const probe = document.createElement("span");
  probe.className = "probe";
  probe.textContent = "0".repeat(100);
  $("highlight").append(probe);
  charWidthCache = probe.getBoundingClientRect().width / 100;
  probe.remove();
  return charWidthCache;
}

function closePopup() {
  $("popup").hidden = true;
  state.filling = null;
  state.keywords = null;
}

function acceptSelected() {
  if (state.filling) {
    fillWith(state.filling.options[state.selected]);
    return;
  }
  if (state.keywords) {
    const choice = state.keywords[state.selected];
    const { start, end, text } = currentLineBounds();
    replaceRange(start, end, `${/^\s*/.exec(text)[0]}${choice.keyword} `);
    closePopup();
    afterEdit(); // and offer the phrases that may follow it
    return;
  }
  const suggestion = state.suggestions[state.selected];
  if (!suggestion) return;
  const { start, end, text } = currentLineBounds();
  const match = STEP_START.exec(text) || /^(\s*)(Given|When|Then|And|But|\*)()$/.exec(text);
  const line = `${match[1]}${match[2]} ${suggestion.insert}`;
  replaceRange(start, end, line);
  showPhrase(suggestion);
  closePopup();
  afterEdit({ suggest: false });
  selectNextSlot(suggestion);
}

// After accepting a phrase: select its first <word> to fill, and offer what it may be.
function selectNextSlot(suggestion) {
  const { start, text } = currentLineBounds();
  const slot = /<(\w+)>/.exec(text);
  if (!slot) return;
  source.setSelectionRange(start + slot.index, start + slot.index + slot[0].length);
  const known = suggestion.slots.find((candidate) => candidate.name === slot[1]);
  const options = known ? known.options : [];
  if (!options.length) return;
  state.filling = { options, suggestion, name: slot[1] };
  state.selected = 0;
  renderPopup(options.map((option) => ({ html: `${escape(option)}`, title: `fill <${slot[1]}>` })));
  state.filling = { options, suggestion, name: slot[1] };
}

function fillWith(option) {
  const { suggestion } = state.filling;
  replaceRange(source.selectionStart, source.selectionEnd, option);
  closePopup();
  afterEdit({ suggest: false });
  selectNextSlot(suggestion);
}

// Edits the studio makes go through the browser's own editing, so Ctrl+Z undoes them too.
function replaceRange(start, end, text) {
  source.focus();
  source.setSelectionRange(start, end);
  state.programmatic = true;
  try {
    if (!document.execCommand("insertText", false, text)) source.setRangeText(text, start, end, "end");
  } finally {
    state.programmatic = false;
  }
}

function afterEdit({ suggest: wantSuggestions = true } = {}) {
  refresh();
  keepDraft();
  scheduleCheck();
  if (wantSuggestions) scheduleSuggest();
}

function onKeyDown(event) {
  const popupOpen = !$("popup").hidden;
  if (event.key === " " && event.ctrlKey) {
    event.preventDefault();
    scheduleSuggest(0);
    return;
  }
  if (popupOpen) {
    const count = $("popup").children.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      state.selected = (state.selected + (event.key === "ArrowDown" ? 1 : count - 1)) % count;
      [...$("popup").children].forEach((item, index) => item.classList.toggle("selected", index === state.selected));
      if (state.keywords) showKeyword(state.keywords[state.selected]);
      else if (!state.filling) showPhrase(state.suggestions[state.selected]);
      return;
    }
    if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      acceptSelected();
      return;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      closePopup();
      return;
    }
  }
  if (event.key === "Enter" && !event.shiftKey) {
    // A new line starts where this one did (one level deeper under a Scenario or Background).
    // A step is one line: Enter inside it (after filling a word) ends it, it never splits it.
    event.preventDefault();
    const { end, text } = currentLineBounds();
    let indent = /^\s*/.exec(text)[0];
    if (/^\s*(Scenario|Scenario Outline|Example|Background):/.test(text)) indent += "  ";
    if (STEP_START.test(text)) source.setSelectionRange(end, end);
    replaceRange(source.selectionStart, source.selectionEnd, `\n${indent}`);
    closePopup();
    afterEdit({ suggest: false });
  }
}

// -- running ---------------------------------------------------------------------------------

function scenarioLineAtCaret() {
  const lines = source.value.split("\n");
  for (let index = caretLine() - 1; index >= 0; index -= 1) {
    if (/^\s*(Scenario|Scenario Outline|Scenario Template|Example):/.test(lines[index])) return index + 1;
    if (/^\s*(Rule|Feature):/.test(lines[index])) break;
  }
  return null;
}

async function run(whole) {
  const line = whole ? null : scenarioLineAtCaret();
  const results = $("results");
  if (!whole && line === null) {
    results.innerHTML = '<p class="problem-text">Put the cursor inside a scenario to run it, or run the whole feature.</p>';
    return;
  }
  results.innerHTML = '<p class="muted running">Running against a freshly built HQ…</p>';
  const buttons = [$("run-scenario"), $("run-feature")];
  buttons.forEach((button) => { button.disabled = true; }); // one run at a time
  const started = performance.now();
  try {
    const answer = await api("/api/run", { path: state.path, text: source.value, line });
    showRun(answer, performance.now() - started);
  } catch (failure) {
    const problems = (failure.detail && failure.detail.problems) || [];
    results.innerHTML = `<h2>Not run</h2><p class="problem-text">${escape(failure.message)}</p>` +
      problems.map((problem) => `<p class="problem-text">line ${problem.line}: ${escape(problem.message)}</p>`).join("");
  } finally {
    buttons.forEach((button) => { button.disabled = false; });
  }
}

function badge(status) {
  return `<span class="status status-${escape(status)}" title="${escape(status)}"><span aria-hidden="true">${escape(MARKS[status] || "•")}</span> ${escape(status)}</span>`;
}

// Each run as the living documentation shows it: its own rendering of steps (steps.js).
function showRun(answer, elapsed) {
  const runs = answer.runs || [];
  const failed = runs.filter((each) => each.status !== "passed").length;
  const verdict = !runs.length ? "nothing ran" : failed ? `${failed} of ${runs.length} did not pass` : `${runs.length === 1 ? "it holds" : `all ${runs.length} hold`}`;
  const bad = failed || !runs.length;
  $("results").innerHTML = `<h2 class="verdict ${bad ? "verdict-bad" : "verdict-ok"}">${bad ? "✘" : "✔"} Run: ${escape(verdict)} <span class="muted">(${(elapsed / 1000).toFixed(1)} s)</span></h2>` +
    runs.map((each) => `<section class="run-result st-${escape(each.status)}">
      <h3>${badge(each.status)} ${escape(each.keyword)}: ${escape(each.name)}${each.example ? ` <span class="example">Example: ${Object.entries(each.example).map(([key, value]) => `${escape(key)} = “${escape(value)}”`).join(", ")}</span>` : ""}</h3>
      ${window.LivingSteps.render(each.steps, MARKS)}</section>`).join("") +
    (!runs.length ? `<pre class="reason">${escape(answer.log || "")}</pre>` : "");
}

// -- wiring ----------------------------------------------------------------------------------

source.addEventListener("input", () => {
  if (state.programmatic) return; // the studio's own edit: it updates the page itself
  if (state.filling) closePopup(); // the author typed their own word instead of picking one
  afterEdit();
});
source.addEventListener("keydown", onKeyDown);
source.addEventListener("scroll", syncScroll);
source.addEventListener("click", () => closePopup());
source.addEventListener("blur", () => setTimeout(() => { if (document.activeElement !== source) closePopup(); }, 150));
$("run-scenario").addEventListener("click", () => run(false));
$("run-feature").addEventListener("click", () => run(true));
$("save").addEventListener("click", () => startSave().catch((failure) => notice(failure.message, "bad")));
$("diff-save").addEventListener("click", confirmSave);
$("diff-cancel").addEventListener("click", () => $("diff-dialog").close());
$("diff-reload").addEventListener("click", reloadFromDisk);
window.addEventListener("beforeunload", (event) => {
  if (state.path && source.value !== state.saved) event.preventDefault(); // the draft is kept anyway
});

loadTree().catch((failure) => { $("tree").innerHTML = `<p class="problem-text">${escape(failure.message)}</p>`; });
