/* Plan generator: a form that fills the comms plan, with the same rules as `python -m macros plan`
 * (macros/render/plan.py): the tests hold both outputs byte-identical. Values only ever become text. */
(() => {
  "use strict";

  const WHITE = /[ \t\r\n\f\v]+/g;
  const EDGE = /^[ \t\r\n\f\v]+|[ \t\r\n\f\v]+$/g;
  const SPECIAL = /([\\`*_{}[\]<>|])/g;
  const TIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})$/;
  const SCHEDULE = "@schedule";

  const clean = (value) => String(value).replace(WHITE, " ").replace(/^ | $/g, "").replace(SPECIAL, "\\$1");
  const pad = (n, width = 2) => String(n).padStart(width, "0");
  const timeText = (d) => `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${
    pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;

  function utcTime(value) {
    const m = TIME.exec(String(value).replace(EDGE, ""));
    if (!m) return null;
    const [y, mo, d, h, mi] = m.slice(1).map(Number);
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
      times.push(`${timeText(check)} (update due by ${timeText(due)})`);
    }
    return times;
  }

  function render(plan, answers) {
    const values = { ...answers.values };
    const missing = [];
    const rows = {};
    for (const gid of Object.keys(plan.groups)) {
      rows[gid] = (answers.rows[gid] || []).filter((row) => Object.values(row).some((v) => clean(v) !== ""));
    }
    if (plan.schedule) {
      const s = plan.schedule;
      const last = values[s.last_update] || "";
      const moment = utcTime(last);
      if (moment) values[s.last_update] = timeText(moment);
      else if (clean(last) !== "") missing.push(s.last_update);
      rows[SCHEDULE] = scheduleTimes(last, s.every_hours, s.check_before_minutes, s.count)
        .map((t) => ({ [s.placeholder]: t }));
    }
    const fill = (parts, source) => parts.map((part) => {
      if (typeof part === "string") return part;
      const name = part[0];
      const value = clean(source[name] || "");
      if (value) return value;
      if (!missing.includes(name)) missing.push(name);
      return `{{ ${name} }}`;
    }).join("");
    const lines = [];
    for (const line of plan.lines) {
      if (line.group === null) lines.push(fill(line.parts, values));
      else for (const row of (rows[line.group] && rows[line.group].length ? rows[line.group] : [{}])) lines.push(fill(line.parts, row));
    }
    return { text: `${lines.join("\n")}\n`, missing };
  }

  const { h, copyText } = window.icp; // from common.js

  class Generator {
    constructor(root, data) {
      this.root = root;
      this.plan = data.plan;
      this.labels = data.labels;
      this.key = `icp-plan:${this.plan.template}`;
      this.answers = this.load();
      this.live = h("p", { class: "icp-offscreen", "aria-live": "polite" });
      this.output = h("code", { class: "icp-plan__output" });
      this.missing = h("div", { class: "icp-plan__missing" });
      this.form = h("form", { class: "icp-plan__form", onsubmit: (e) => e.preventDefault(), oninput: () => this.changed() });
      this.build();
      root.querySelectorAll(".icp-plan__nojs").forEach((n) => { n.hidden = true; });
      root.append(this.form, h("section", { class: "icp-plan__result", "aria-label": "Your comms plan" },
        h("h2", { id: `${root.id}-result` }, "Your comms plan"), this.missing,
        h("div", { class: "icp-controls" },
          this.button("Copy the plan", () => this.copy()),
          this.button("Download the plan", () => this.download()),
          this.button("Clear the form", () => this.clear())),
        h("pre", { class: "icp-plan__pre" }, this.output)), this.live);
      this.update();
    }

    load() {
      let saved = null;
      try { saved = JSON.parse(localStorage.getItem(this.key) || "null"); } catch { saved = null; }
      const ok = saved && typeof saved === "object" && saved.values && saved.rows;
      return ok ? saved : { values: {}, rows: {} };
    }

    save() { try { localStorage.setItem(this.key, JSON.stringify(this.answers)); } catch { /* private mode */ } }

    button(label, onclick) { return h("button", { type: "button", class: "md-button icp-btn", onclick }, label); }

    input(name, value, id, onchange) {
      const field = this.fieldInfo(name);
      const long = /audiences|notes|plan|summary/.test(name);
      const help = `${id}-help`;
      const control = h(long ? "textarea" : "input", {
        id, name, type: long ? null : "text", rows: long ? 2 : null, placeholder: `e.g. ${field.example}`,
        "aria-describedby": help, autocomplete: "off",
        oninput: (e) => onchange(e.target.value),
      });
      control.value = value || "";
      return h("div", { class: "icp-field" }, h("label", { for: id }, this.labels[name] || name),
        control, h("span", { id: help, class: "icp-field__help" }, field.description));
    }

    fieldInfo(name) {
      const all = [...this.plan.fields, ...Object.values(this.plan.groups).flatMap((g) => g.fields)];
      return all.find((f) => f.name === name) || { example: "", description: "" };
    }

    build() {
      const base = this.root.id || "plan";
      const single = this.plan.fields.map((f) => this.input(f.name, this.answers.values[f.name], `${base}-${f.name}`,
        (v) => { this.answers.values[f.name] = v; }));
      const parts = [h("fieldset", null, h("legend", null, "The incident"), single)];
      for (const [gid, group] of Object.entries(this.plan.groups)) {
        const rows = this.answers.rows[gid] && this.answers.rows[gid].length ? this.answers.rows[gid] : [{}];
        this.answers.rows[gid] = rows;
        const list = h("div", { class: "icp-rows" });
        const drawRows = () => {
          list.replaceChildren(...this.answers.rows[gid].map((row, i) => h("fieldset", { class: "icp-row" },
            h("legend", null, `${group.label} ${i + 1}`),
            group.fields.map((f) => this.input(f.name, row[f.name], `${base}-${gid}-${i}-${f.name}`, (v) => { row[f.name] = v; })),
            this.answers.rows[gid].length > 1 ? this.button(`Remove ${group.label.toLowerCase()} ${i + 1}`, () => {
              this.answers.rows[gid].splice(i, 1);
              drawRows();
              this.changed();
            }) : null)));
        };
        drawRows();
        parts.push(h("fieldset", { class: "icp-group" }, h("legend", null, `${group.label}s`), list,
          this.button(`Add a ${group.label.toLowerCase()}`, () => {
            this.answers.rows[gid].push({});
            drawRows();
            this.changed();
            const inputs = list.querySelectorAll(".icp-row:last-child input");
            if (inputs.length) inputs[0].focus();
          })));
      }
      this.form.replaceChildren(...parts);
    }

    changed() { this.save(); this.update(); }

    update() {
      const { text, missing } = render(this.plan, this.answers);
      this.text = text;
      this.output.textContent = text;
      this.missing.replaceChildren(missing.length
        ? h("p", { class: "icp-notice" }, `Still to fill (${missing.length}): `,
          missing.map((name) => {
            const label = this.labels[name] || name;
            const schedule = this.plan.schedule;
            const written = schedule && name === schedule.last_update && (this.answers.values[name] || "").trim();
            return written ? `${label} (write it as YYYY-MM-DD HH:MM, in UTC)` : label;
          }).join(", "),
          ". They stay as {{ placeholders }} in the plan until you do.")
        : h("p", null, "Everything is filled in."));
    }

    filename() {
      const name = (this.answers.values.incident_name || "").toLowerCase().replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "").slice(0, 60);
      return name ? `comms-plan-${name}.md` : "comms-plan.md";
    }

    copy() {
      copyText(this.text).then(() => this.say("Plan copied"), () => this.say("Copying failed: use Download instead"));
    }

    download() {
      const url = URL.createObjectURL(new Blob([this.text], { type: "text/markdown;charset=utf-8" }));
      const link = h("a", { href: url, download: this.filename(), class: "icp-offscreen" });
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 1000);
      this.say(`Downloaded ${this.filename()}`);
    }

    clear() {
      this.answers = { values: {}, rows: {} };
      try { localStorage.removeItem(this.key); } catch { /* private mode */ }
      this.build();
      this.update();
      this.say("Form cleared");
    }

    say(text) {
      this.live.textContent = "";
      window.setTimeout(() => { this.live.textContent = text; }, 30);
    }
  }

  window.icpPlan = { render, scheduleTimes, clean };

  function mount() {
    document.querySelectorAll(".icp-plan[data-icp-plan]:not([data-mounted])").forEach((root) => {
      root.setAttribute("data-mounted", "");
      try { new Generator(root, JSON.parse(root.getAttribute("data-icp-plan"))); } catch (error) {
        root.append(h("p", { class: "icp-notice" }, "The plan generator could not start: use the template or the command line."));
        throw error;
      }
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(mount);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
