/* The draft checker's engine: the same steps as macros/engine/drafts.py, on the same data (the rules' portable
 * sources and the patterns that cut a text into sentences and words, from drafts.as_data). A test runs both
 * over a corpus of drafts and compares every finding: rule, line, column, length and message.
 * Positions count characters (code points), as Python does, lines ending at \n, \r\n or a lone \r; `from`/`to` are the string's own (UTF-16) offsets,
 * for selecting the text in a field. Phrases and patterns are looked for in the flattened text (each run of spaces
 * with at most one line break read as one space); a match that starts inside an earlier match of the same rule is
 * the same finding; first-sentence, must-mention and reading-ease pass over a text that is not mostly English. */
(() => {
  "use strict";
  const icp = (window.icp = window.icp || {});
  const SPACES = " \t\n\r\f\v";
  const compiled = new Map();
  const rx = (source, flags) => {
    const key = flags + source;
    if (!compiled.has(key)) compiled.set(key, new RegExp(source, flags));
    return compiled.get(key);
  };
  const all = (source, text) => text.matchAll(rx(source, "gu"));
  const search = (source, text) => rx(source, "u").exec(text);
  const startsWith = (source, text) => { const m = search(source, text); return m !== null && m.index === 0; };
  const isBlank = (text) => [...text].every((c) => SPACES.includes(c));
  const rstripLength = (text) => { let n = text.length; while (n > 0 && SPACES.includes(text[n - 1])) n -= 1; return n; };
  const lead = (line, at) => { while (at < line.length && " \t\r".includes(line[at])) at += 1; return at; };
  const codePoints = (text) => { let n = 0; for (const _ of text) n += 1; return n; };

  const lineStarts = (text, t) => [0, ...[...all(t.line_end, text)].map((m) => m.index + m[0].length)];
  const lineOf = (starts, at) => {
    let low = 0, high = starts.length - 1;
    while (low < high) { const mid = (low + high + 1) >> 1; if (starts[mid] <= at) low = mid; else high = mid - 1; }
    return low;
  };

  const applies = (rule, scope) => rule.audiences.includes(scope.audience) && rule.states.includes(scope.state)
    && (scope.security || !rule.security_only);

  function splitSentences(text, t) {
    const out = [];
    let start = -1, end = -1;
    const starts = lineStarts(text, t), lines = text.split(rx(t.line_end, "u"));
    lines.forEach((line, index) => {
      const offset = starts[index];
      const alone = search(t.standalone, line) !== null;
      const heading = search(t.heading, line) !== null;
      if (start >= 0 && (alone || search(t.continues, line) === null)) { out.push([start, end]); start = -1; }
      if (search(t.table_row, line) !== null) {
        for (const cell of all(t.cell, line)) {
          if (!isBlank(cell[0])) out.push([offset + lead(line, cell.index), offset + cell.index + rstripLength(cell[0])]);
        }
      } else if (!isBlank(line)) {
        if (start < 0) start = offset + lead(line, 0);
        for (const m of all(t.sentence_end, line)) {
          if (m[0] === "." && search(t.not_an_end, line.slice(Math.max(0, m.index - t.not_an_end_reach), m.index + 1)) !== null) continue;
          out.push([start, offset + m.index + m[0].length]);
          start = offset + lead(line, m.index + m[0].length);
        }
        end = offset + rstripLength(line);
        if (start >= end || heading) { if (start < end) out.push([start, end]); start = -1; }
      }
    });
    if (start >= 0) out.push([start, end]);
    return out.filter(([s, e]) => search(t.has_letter, text.slice(s, e)) !== null);
  }

  const words = (sentence, t) => [...all(t.word, sentence)].map((m) => m[0]).filter((w) => search(t.has_letter, w) !== null);

  function syllables(word, t) {
    const lower = word.toLowerCase();
    let count = [...all(t.vowels, lower)].length;
    if (count > 1 && lower.endsWith("e") && !lower.endsWith("le")) count -= 1;
    return Math.max(count, 1);
  }

  /* [words, syllables, sentences with words, words not in English], as drafts.word_stats counts them */
  function wordStats(text, sentences, t) {
    let totalWords = 0, totalSyllables = 0, counted = 0, foreign = 0;
    for (const [s, e] of sentences) {
      const found = words(text.slice(s, e), t);
      if (!found.length) continue;
      counted += 1;
      for (const word of found) {
        totalWords += 1;
        if (search(t.english_word, word) !== null) totalSyllables += syllables(word, t);
        else { totalSyllables += 1; if (search(t.foreign, word) !== null) foreign += 1; }
      }
    }
    return [totalWords, totalSyllables, counted, foreign];
  }

  const english = ([totalWords, , , foreign]) => foreign * 5 < totalWords || totalWords === 0;

  function ease(stats, minWords) {
    const [totalWords, totalSyllables, counted] = stats;
    if (totalWords < minWords || !english(stats)) return null;
    return 206.835 - 1.015 * (totalWords / counted) - 84.6 * (totalSyllables / totalWords);
  }

  /* [the text with each run of spaces holding at most one line break as one space, where each of its UTF-16
   * units (and its end) was in the text] */
  function flatten(text, t) {
    let out = "", at = 0;
    const where = [];
    for (const m of all(t.space_run, text)) {
      const start = m.index, end = m.index + m[0].length;
      if (end === start) continue;
      out += text.slice(at, start) + " ";
      for (let i = at; i <= start; i += 1) where.push(i);
      at = end;
    }
    out += text.slice(at);
    for (let i = at; i <= text.length; i += 1) where.push(i);
    return [out, where];
  }

  /* A text as the rules read it: sentences, flattened copy and word counts, each made once. */
  function reading(text, t) {
    const read = { text, sentences: splitSentences(text, t) };
    let flat = null, stats = null;
    read.flat = () => (flat = flat || flatten(text, t));
    read.stats = () => (stats = stats || wordStats(text, read.sentences, t));
    read.english = () => english(read.stats());
    return read;
  }

  function firstSentence(text, sentences, skip, t) {
    const starts = lineStarts(text, t);
    for (const [s, e] of sentences) {
      const index = lineOf(starts, s);
      if (isBlank(text.slice(starts[index], s))) {
        const stop = index + 1 < starts.length ? starts[index + 1] : text.length;
        const line = text.slice(s, stop).replace(/[\r\n]{1,2}$/u, ""); // the rest of the line, its line end left out
        if (skip.some((source) => startsWith(source, line))) continue;
      }
      return [s, e];
    }
    return null;
  }

  function quote(found, t) {
    const joined = found.split(/[ \t\n\r\f\v]+/u).filter(Boolean).join(" ");
    const chars = Array.from(joined);
    return chars.length <= t.quote_max ? joined : chars.slice(0, t.quote_max - 1).join("") + "\u2026";
  }

  function* run(rule, read, t) {
    const kind = rule.kind, text = read.text, sentences = read.sentences;
    if (kind === "phrase" || kind === "pattern" || kind === "internal-names") {
      const [flat, where] = read.flat();
      for (const source of rule.find) {
        for (const m of all(source, flat)) {
          if (!m[0].length) continue;
          const start = where[m.index], end = where[m.index + m[0].length - 1] + 1;
          yield [start, end - start, "\u201c" + quote(text.slice(start, end), t) + "\u201d: " + rule.message];
        }
      }
    } else if (kind === "must-mention") {
      if (read.english() && !rule.find.some((source) => search(source, read.flat()[0]) !== null)) yield [0, 0, rule.message];
    } else if (kind === "notice") {
      yield [0, 0, rule.message];
    } else if (kind === "first-sentence") {
      const first = read.english() ? firstSentence(text, sentences, rule.skip_lines, t) : null;
      if (first) {
        const sentence = flatten(text.slice(first[0], first[1]), t)[0];
        if (rule.forbid_start.some((source) => startsWith(source, sentence))
          || !rule.find.some((source) => search(source, sentence) !== null)) yield [first[0], first[1] - first[0], rule.message];
      }
    } else if (kind === "sentence-length") {
      for (const [s, e] of sentences) {
        const count = words(text.slice(s, e), t).length;
        if (count > rule.max_words) yield [s, e - s, rule.message + " (" + count + " words; at most " + rule.max_words + ")"];
      }
    } else if (kind === "reading-ease") {
      const score = ease(read.stats(), rule.min_words);
      if (score !== null && score < rule.min_score) yield [0, 0, rule.message + " (reading ease " + Math.floor(score) + "; at least " + rule.min_score + ")"];
    }
  }

  /* Every finding of the rules that apply to scope ({audience, state, security}), in the order of the text; none
   * in a blank draft, which has nothing to check yet. */
  function check(fullText, data, scope) {
    const t = data.text;
    let text = String(fullText);
    if (isBlank(text)) return [];
    const found = [];
    if (codePoints(text) > t.max_chars) {
      let cut = 0;
      for (let n = 0; n < t.max_chars; n += 1) cut += text.codePointAt(cut) > 0xffff ? 2 : 1;
      text = text.slice(0, cut);
      found.push({ at: cut, length: 0, order: -1, rule: t.too_long, message: t.too_long_message, suggestion: t.too_long_suggestion });
    }
    const read = reading(text, t);
    data.rules.forEach((rule, order) => {
      if (!applies(rule, scope)) return;
      for (const [at, length, message] of run(rule, read, t)) found.push({ at, length, order, rule: rule.id, message, suggestion: rule.suggestion });
    });
    found.sort((a, b) => a.at - b.at || a.order - b.order || b.length - a.length);
    // each rule's furthest end so far: a match that starts before it is the same finding
    const reach = new Map();
    const kept = found.filter((f) => {
      if (reach.has(f.rule)) {
        const r = reach.get(f.rule);
        if (f.at < r || (f.at === r && f.length === 0)) return false;
      }
      reach.set(f.rule, Math.max(reach.get(f.rule) || 0, f.at + f.length));
      return true;
    });
    // lines, columns and lengths in code points, as Python counts them
    const surrogates = /[\uD800-\uDFFF]/.test(text);
    const points = (from, to) => (surrogates ? codePoints(text.slice(from, to)) : to - from);
    const starts = lineStarts(text, t);
    return kept.map((f) => {
      const index = lineOf(starts, f.at), lineStart = starts[index], line = index + 1;
      return { rule: f.rule, line, col: points(lineStart, f.at) + 1, start: points(0, f.at), length: points(f.at, f.at + f.length),
        from: f.at, to: f.at + f.length, message: f.message, suggestion: f.suggestion };
    }).sort((a, b) => a.start - b.start);
  }

  icp.drafts = { check };
})();
