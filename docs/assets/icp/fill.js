/* Filling a compiled template (macros/render/plan.py compile_template) with answers, and answers from an
 * incident's facts (macros/render/fill.py values_for): the same rules as the Python renderer, which the tests
 * hold byte-identical for a table of cases. Used by the plan generator (plan.js) and the incident workspace
 * (workspace.js). Values only ever become text.
 * (No template literal inside another's ${…}: the minifier, rjsmin, does not parse them.) */
(() => {
  "use strict";

  const WHITE = /[ \t\r\n\f\v]+/g;
  const EDGE = /^[ \t\r\n\f\v]+|[ \t\r\n\f\v]+$/g;
  const SPECIAL = /([\\`*_{}[\]<>|])/g;
  // the same pattern as _TIME in plan.py
  const TIME = /^([0-9]{4})([-/])([0-9]{1,2})\2([0-9]{1,2})(?:[Tt]| +)([0-9]{1,2}):([0-9]{2})(?::[0-5][0-9])?(?: ?(?:Z|UTC))?$/;
  const SCHEDULE = "@schedule";

  /* A value as inert text on one line; in Markdown, with a backslash before what Markdown or HTML acts on. */
  const clean = (value, escape = true) => {
    const text = String(value).replace(WHITE, " ").replace(/^ | $/g, "");
    return escape ? text.replace(SPECIAL, "\\$1") : text;
  };
  const pad = (n, width = 2) => String(n).padStart(width, "0");
  const timeText = (d) => pad(d.getUTCFullYear(), 4) + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) + " "
    + pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());

  function utcTime(value) {
    const m = TIME.exec(String(value).replace(EDGE, ""));
    if (!m) return null;
    const [y, , mo, d, h, mi] = m.slice(1).map(Number);
    const date = new Date(Date.UTC(2000, mo - 1, d, h, mi));
    date.setUTCFullYear(y, mo - 1, d);
    const same = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
      && date.getUTCHours() === h && date.getUTCMinutes() === mi;
    return same && y >= 1 ? date : null;
  }

  function scheduleTimes(lastUpdate, everyHours, beforeMinutes, count) {
    const moment = utcTime(lastUpdate);
    if (!moment) return [];
    const times = [];
    for (let k = 1; k <= count; k += 1) {
      const due = new Date(moment.getTime() + k * everyHours * 3600 * 1000);
      if (due.getUTCFullYear() > 9999) return [];
      const check = new Date(due.getTime() - beforeMinutes * 60 * 1000);
      times.push(timeText(check) + " (update due by " + timeText(due) + ")");
    }
    return times;
  }

  /* The filled text and the placeholders left open, in order of first use. answers: {values, rows}. */
  function render(plan, answers) {
    const escape = plan.escape !== false;
    const values = { ...answers.values };
    const missing = [];
    const rows = {};
    for (const gid of Object.keys(plan.groups)) {
      rows[gid] = (answers.rows[gid] || []).filter((row) => Object.values(row).some((v) => clean(v) !== ""));
    }
    for (const name of plan.times) {
      const moment = utcTime(values[name] || "");
      if (moment) values[name] = timeText(moment);
      else if (clean(values[name] || "") !== "") missing.push(name);
    }
    if (plan.schedule) {
      const s = plan.schedule;
      rows[SCHEDULE] = scheduleTimes(answers.values[s.last_update] || "", s.every_hours, s.check_before_minutes, s.count)
        .map((t) => ({ [s.placeholder]: t }));
    }
    const fill = (parts, source) => parts.map((part) => {
      if (typeof part === "string") return part;
      const name = part[0];
      const value = clean(source[name] || "", escape);
      if (value) return value;
      if (!missing.includes(name)) missing.push(name);
      return "{{ " + name + " }}";
    }).join("");
    const lines = [];
    for (const line of plan.lines) {
      if (line.group === null) lines.push(fill(line.parts, values));
      else for (const row of (rows[line.group] && rows[line.group].length ? rows[line.group] : [{}])) lines.push(fill(line.parts, row));
    }
    return { text: lines.join("\n") + "\n", missing };
  }

  /* The latest status-page update of an incident (a Date), or null. */
  function lastUpdate(incident) {
    let latest = null;
    for (const text of incident.status_updates || []) {
      const moment = utcTime(text);
      if (moment && (!latest || moment > latest)) latest = moment;
    }
    return latest;
  }

  /* One derived value (spec.derived[name]): rows joined, or the status-page clock. */
  function derive(rule, incident, spec) {
    if (rule.clock) {
      const last = lastUpdate(incident);
      if (!last) return "";
      const at = rule.clock === "next" ? new Date(last.getTime() + spec.every_hours * 3600 * 1000) : last;
      return at.getUTCFullYear() > 9999 ? "" : timeText(at);
    }
    const rows = (incident.rows && incident.rows[rule.rows]) || [];
    const named = rule.parts.filter((part) => typeof part !== "string").map((part) => part[0]);
    const texts = rows.filter((row) => named.every((name) => clean(row[name] || "", false) !== ""))
      .map((row) => rule.parts.map((part) => (typeof part === "string" ? part : clean(row[part[0]], false))).join(""));
    return (rule.unique ? [...new Set(texts)] : texts).join(rule.join);
  }

  /* A compiled template's answers from an incident (the `incident` of an export file), as values_for in fill.py. */
  function valuesFor(plan, incident, spec) {
    const values = {};
    const rows = {};
    const kinds = Object.fromEntries(spec.facts.map((fact) => [fact.key, fact.kind]));
    const facts = incident.facts || {};
    for (const [name, source] of Object.entries(plan.sources || {})) {
      if (Object.hasOwn(kinds, source)) {
        const value = Object.hasOwn(facts, source) ? String(facts[source]) : "";
        const moment = kinds[source] === "time" && utcTime(value);
        values[name] = moment ? timeText(moment) : value;
      } else if (Object.hasOwn(spec.derived, source)) values[name] = derive(spec.derived[source], incident, spec);
    }
    for (const gid of Object.keys(plan.groups)) {
      if (Object.hasOwn(spec.rows, gid)) rows[gid] = ((incident.rows && incident.rows[gid]) || []).map((row) => ({ ...row }));
    }
    return { values, rows };
  }

  window.icp = Object.assign(window.icp || {}, {
    fill: { clean, utcTime, timeText, scheduleTimes, render, lastUpdate, valuesFor, TIME, EDGE },
  });
})();
