// Gherkin highlighting for the studio's editor: one line at a time, into escaped HTML.
"use strict";

const GherkinHighlight = (() => {
  const BLOCK = /^(\s*)(Feature|Rule|Background|Scenario Outline|Scenario Template|Scenario|Example|Examples|Scenarios)(:)(.*)$/;
  const STEP = /^(\s*)(Given|When|Then|And|But|\*)(\s)(.*)$/;

  function escape(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // Quoted text, <placeholders> and numbers inside a step or a table cell.
  function words(text) {
    let out = "";
    const pattern = /("[^"]*"?)|(<[^<>\s]+>)|(\b\d+(?:\.\d+)?\b)/g;
    let last = 0;
    let match;
    while ((match = pattern.exec(text)) !== null) {
      out += escape(text.slice(last, match.index));
      const kind = match[1] ? "string" : match[2] ? "slot" : "number";
      out += `<span class="hl-${kind}">${escape(match[0])}</span>`;
      last = pattern.lastIndex;
    }
    return out + escape(text.slice(last));
  }

  function line(text, inDocString) {
    const trimmed = text.trim();
    if (inDocString || trimmed.startsWith('"""') || trimmed.startsWith("```")) {
      return `<span class="hl-docstring">${escape(text)}</span>`;
    }
    if (trimmed.startsWith("#")) return `<span class="hl-comment">${escape(text)}</span>`;
    if (trimmed.startsWith("@")) return `<span class="hl-tag">${escape(text)}</span>`;
    if (trimmed.startsWith("|")) {
      return text.split("|").map((cell, index) => (index === 0 ? escape(cell) : words(cell)))
        .join('<span class="hl-pipe">|</span>');
    }
    let match = BLOCK.exec(text);
    if (match) {
      return `${match[1]}<span class="hl-block">${escape(match[2] + match[3])}</span><span class="hl-title">${escape(match[4])}</span>`;
    }
    match = STEP.exec(text);
    if (match) {
      return `${match[1]}<span class="hl-keyword">${escape(match[2])}</span>${match[3]}${words(match[4])}`;
    }
    return `<span class="hl-text">${escape(text)}</span>`;
  }

  // The whole text: one <span class="line"> per line, marked when a problem sits on it.
  function render(text, problemLines) {
    let inDocString = false;
    return text.split("\n").map((content, index) => {
      const fence = content.trim().startsWith('"""') || content.trim().startsWith("```");
      const html = line(content, inDocString && !fence);
      if (fence) inDocString = !inDocString;
      const marked = problemLines.has(index + 1) ? " has-problem" : "";
      return `<span class="line${marked}">${html || " "}</span>`;
    }).join("");
  }

  return { render, escape };
})();
