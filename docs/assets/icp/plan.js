/* Plan generator: a form that fills the comms plan, with the same rules as `python -m macros plan`
 * (macros/render/plan.py, and fill.js here): the tests hold both outputs byte-identical. Values only ever become text.
 * The form and the empty plan come drawn and disabled (plan_form in plan.py): this script fills in the
 * draft kept in this browser, turns the controls on, and keeps the plan in step with the answers. */
(() => {
  "use strict";

  const { render, utcTime, scheduleTimes, clean, TIME, EDGE } = window.icp.fill; // from fill.js
  const { h, copy } = window.icp; // from common.js

  class Generator {
    constructor(root, data) {
      this.root = root;
      this.plan = data.plan;
      this.labels = data.labels;
      this.base = root.id;
      this.key = "icp-plan:" + this.plan.template;
      this.answers = this.load();
      this.form = root.querySelector(".icp-plan__form");
      this.output = root.querySelector(".icp-plan__output");
      this.missing = root.querySelector(".icp-plan__missing");
      this.heading = root.querySelector(".icp-plan__result h2");
      this.live = h("p", { class: "icp-offscreen", "aria-live": "polite" });
      root.append(this.live);
      root.querySelectorAll("[disabled]").forEach((control) => { control.disabled = false; });
      this.blank = {}; // group id -> its first row as drawn, to copy for every row
      root.querySelectorAll(".icp-group").forEach((group) => {
        this.blank[group.dataset.group] = group.querySelector(".icp-row").cloneNode(true);
      });
      this.fill();
      this.form.addEventListener("input", (event) => this.typed(event.target));
      this.form.addEventListener("change", (event) => this.check(event.target)); // a time: said once it is left
      this.form.addEventListener("submit", (event) => {
        event.preventDefault();
        const wrong = [...this.form.elements].filter((field) => !this.check(field));
        (wrong[0] || this.heading).focus();
        this.say(wrong.length ? "Check the time: " + this.labels[wrong[0].name] : "Plan updated");
      });
      root.addEventListener("click", (event) => {
        const control = event.target.closest("[data-add], [data-act]");
        if (!control) return;
        const gid = control.dataset.add;
        if (gid) {
          this.answers.rows[gid].push({});
          this.drawRows(gid);
          this.changed();
          control.previousElementSibling.querySelector(".icp-row:last-child input, .icp-row:last-child textarea").focus();
        } else this[control.dataset.act](control);
      });
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

    /* The answers into the form: single fields, then as many rows of each group as there are. */
    fill() {
      for (const f of this.plan.fields) {
        const field = document.getElementById(this.base + "-" + f.name);
        field.value = this.answers.values[f.name] || "";
        this.check(field);
      }
      for (const gid of Object.keys(this.plan.groups)) {
        if (!(this.answers.rows[gid] && this.answers.rows[gid].length)) this.answers.rows[gid] = [{}];
        this.drawRows(gid);
      }
    }

    drawRows(gid) {
      const label = this.plan.groups[gid].label;
      const rows = this.answers.rows[gid];
      const from = "-" + gid + "-0-";
      this.root.querySelector("[data-group='" + gid + "'] .icp-rows").replaceChildren(...rows.map((row, i) => {
        const box = this.blank[gid].cloneNode(true);
        box.querySelector("legend").textContent = label + " " + (i + 1);
        box.querySelectorAll("[id], [for], [aria-describedby]").forEach((node) => {
          for (const name of ["id", "for", "aria-describedby"]) {
            const value = node.getAttribute(name);
            if (value) node.setAttribute(name, value.replace(from, "-" + gid + "-" + i + "-"));
          }
        });
        box.querySelectorAll("input, textarea").forEach((field) => { field.value = row[field.name] || ""; });
        if (rows.length > 1) {
          box.append(this.button("Remove " + label.toLowerCase() + " " + (i + 1), () => {
            rows.splice(i, 1);
            this.drawRows(gid);
            this.changed();
          }));
        }
        return box;
      }));
    }

    typed(field) {
      const row = field.closest(".icp-row");
      if (row) {
        const gid = row.closest(".icp-group").dataset.group;
        this.answers.rows[gid][[...row.parentElement.children].indexOf(row)][field.name] = field.value;
      } else {
        this.answers.values[field.name] = field.value;
      }
      if (field.getAttribute("aria-invalid") === "true") this.check(field, true); // gone as soon as it fits
      this.changed();
    }

    /* A time field: say at the field what is wrong with it (nothing once it reads as a time, or is empty).
     * `fixing`: only take a message away, never add one (while typing). True when the field is fine. */
    check(field, fixing = false) {
      if (!this.plan.times.includes(field.name)) return true;
      const value = field.value.replace(EDGE, "");
      let wrong = "";
      if (value && !utcTime(value)) {
        wrong = TIME.test(value)
          ? "There is no such date or time: check the day, the month, and the hour (00 to 23)."
          : "Write it as YYYY-MM-DD HH:MM in UTC, for example 2026-03-03 21:40.";
      }
      if (!(wrong && fixing)) {
        const error = document.getElementById(field.id + "-error");
        error.replaceChildren(...(wrong ? [h("span", { class: "icp-offscreen" }, "Error: "), wrong] : []));
        field.setAttribute("aria-invalid", String(Boolean(wrong)));
        field.setAttribute("aria-describedby", (wrong ? error.id + " " : "") + field.id + "-help");
      }
      return !wrong;
    }

    changed() { this.save(); this.update(); }

    update() {
      const { text, missing } = render(this.plan, this.answers);
      this.text = text;
      this.output.textContent = text;
      this.missing.replaceChildren(missing.length
        ? h("p", { class: "icp-notice" }, "Still to fill (" + missing.length + "): ",
          missing.map((name) => {
            const label = this.labels[name] || name;
            const written = this.plan.times.includes(name) && (this.answers.values[name] || "").trim();
            return written ? label + " (write it as YYYY-MM-DD HH:MM, in UTC)" : label;
          }).join(", "),
          ". They stay as {{ placeholders }} in the plan until you do.")
        : h("p", null, "Everything is filled in."));
    }

    filename() {
      const name = (this.answers.values.incident_name || "").toLowerCase().replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "").slice(0, 60);
      return name ? "comms-plan-" + name + ".md" : "comms-plan.md";
    }

    copy(control) { copy(control, this.text, "Copy failed: use Download instead"); }

    download() {
      const url = URL.createObjectURL(new Blob([this.text], { type: "text/markdown;charset=utf-8" }));
      const link = h("a", { href: url, download: this.filename(), class: "icp-offscreen" });
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 1000);
      this.say("Downloaded " + this.filename());
    }

    /* Clearing asks first, in the page: one tap too many must not lose a plan. */
    clear(control) {
      if (this.asking) return this.asking.focus();
      const done = (then) => () => {
        this.asking.remove();
        this.asking = null;
        then();
      };
      this.asking = h("div", { class: "icp-confirm", role: "group", tabindex: "-1", "aria-labelledby": this.base + "-ask" },
        h("p", { id: this.base + "-ask" }, "Clear every answer? This also deletes the draft kept in this browser."),
        this.button("Yes, clear every answer", done(() => {
          this.answers = { values: {}, rows: {} };
          try { localStorage.removeItem(this.key); } catch { /* private mode */ }
          this.fill();
          this.update();
          this.form.querySelector("input, textarea").focus();
          this.say("Form cleared");
        })),
        this.button("No, keep my answers", done(() => control.focus())));
      control.parentElement.after(this.asking);
      this.asking.focus();
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
        root.prepend(h("p", { class: "icp-notice" }, "The plan generator could not start: use the template or the command line."));
        throw error;
      }
    });
  }

  // at once: the script comes after the page's widgets, and drawing them before the first paint moves nothing
  // (waiting for the theme's document$ would draw them after it); then again after each instant navigation
  mount();
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(mount);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
})();
