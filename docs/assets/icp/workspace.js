/* The incident workspace: the incidents kept in this browser (store.js), each with its facts, the status-page
 * clock, the comms log, the walks made for it, and every template filled from its facts (fill.js, the same
 * rules as `python -m macros template --incident`). Handover as a file or a link whose fragment carries the
 * incident (a fragment never reaches a server). Nothing of an incident is ever sent anywhere, and its text only
 * ever becomes text nodes.
 * (No template literal inside another's ${…}: the minifier, rjsmin, does not parse them.) */
(() => {
  "use strict";

  const icp = window.icp;
  const { h, copy, fill, store } = icp; // common.js, fill.js, store.js
  /* The draft checker (drafts.js, checker.js and its style) comes once the workspace is drawn, so the page's first
   * load stays light; until it is in, or if it cannot come, each template shows its filled text as it is. */
  const here = document.currentScript ? document.currentScript.src : "";
  let checking = null;
  const loadChecker = () => checking || (checking = Promise.all([
    ...["drafts", "checker"].map((name) => new Promise((done, fail) => {
      document.body.append(h("script", { src: new URL(name + ".js", here).href, onload: done, onerror: fail }));
    })),
    new Promise((done) => { document.head.append(h("link", { rel: "stylesheet", href: new URL("checker.css", here).href, onload: done, onerror: done })); }),
  ]));
  const WHEN = [["start", "At the start"], ["during", "While it runs"], ["resolved", "Once it is resolved"], ["handover", "At a handover"]];
  const FORMATS = [["markdown", "Markdown (GitHub issue)"], ["slack", "Slack-style text"], ["text", "Plain email text"]];
  const IMPORT = "#import=";
  const UNREADABLE = {
    off: "This browser does not let the site keep data (private mode, or storage turned off): an incident cannot be kept here.",
    corrupt: "The incidents kept in this browser cannot be read: the stored data is damaged or was written by something else. It is left as it is: download it to keep it, or clear it to start again.",
    newer: "The incidents kept in this browser were saved by a newer version of this site, which this version cannot read. They are left as they are: open them with the newer site, or download them.",
  };
  const MINUTE = 60 * 1000;
  const button = (label, onclick, attrs) => h("button", { type: "button", class: "md-button icp-btn", onclick, ...attrs }, label);
  const zone = () => { try { return Intl.DateTimeFormat().resolvedOptions().timeZone || "local time"; } catch { return "local time"; } };
  /* A moment in the reader's time, the zone named; and in UTC, as the templates write it. */
  const shown = (date) => date.toLocaleString(undefined,
    { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
  const utc = (date) => fill.timeText(date) + " UTC";
  const span = (ms) => {
    const minutes = Math.floor(Math.abs(ms) / MINUTE);
    const hours = Math.floor(minutes / 60);
    return (hours ? hours + " h " : "") + (minutes % 60) + " min";
  };
  /* The value a datetime-local field holds for a moment, and back (the field is in the reader's time). */
  const localValue = (date) => {
    const pad = (n) => String(n).padStart(2, "0");
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) + "T" + pad(date.getHours()) + ":" + pad(date.getMinutes());
  };
  const fromLocal = (value) => {
    if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$/.test(value)) return null;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  };
  const newId = () => "inc-" + [...crypto.getRandomValues(new Uint8Array(6))].map((b) => b.toString(36).padStart(2, "0")).join("").slice(0, 10);
  const iso = (date) => date.toISOString().replace(/\.[0-9]+Z$/, "Z");
  /* A text field of one line that wraps and grows to show its whole value (an <input> cuts a long one off);
   * Enter does not make a new line in it. */
  const line = (attrs, value) => h("textarea", { ...attrs, rows: 1, class: "icp-line", autocomplete: "off",
    onkeydown: (event) => { if (event.key === "Enter") event.preventDefault(); } }, value || "");
  const slug = (text) => String(text || "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "incident";

  /* What is wrong with a value against the export file's JSON Schema (the keywords incident_file.py uses). */
  function wrong(schema, value, where, out) {
    if (out.length > 20) return out;
    const type = Array.isArray(value) ? "array" : value === null ? "null" : typeof value === "number" && Number.isInteger(value) ? "integer" : typeof value;
    if (schema.anyOf) {
      const fits = schema.anyOf.find((option) => !wrong(option, value, where, []).length);
      if (!fits) wrong(schema.anyOf.find((o) => o.type !== "null") || schema.anyOf[0], value, where, out);
      return out;
    }
    if (Object.hasOwn(schema, "const") && value !== schema.const) out.push(where + ": should be " + JSON.stringify(schema.const));
    if (schema.enum && !schema.enum.includes(value)) out.push(where + ": should be one of " + schema.enum.map((v) => JSON.stringify(v)).join(", "));
    const types = [].concat(schema.type || []);
    if (types.length && !types.includes(type) && !(type === "integer" && types.includes("number"))) {
      out.push(where + ": should be " + types.join(" or ") + ", not " + type);
      return out;
    }
    if (type === "string") {
      if (/[\uD800-\uDFFF]/u.test(value)) out.push(where + ": not valid text (a lone surrogate)");
      if (schema.maxLength !== undefined && [...value].length > schema.maxLength) out.push(where + ": longer than " + schema.maxLength + " characters");
      if (schema.pattern && !new RegExp(schema.pattern, "u").test(value)) out.push(where + ": not in the expected form");
    }
    if (type === "integer" || type === "number") {
      if (schema.minimum !== undefined && value < schema.minimum) out.push(where + ": below " + schema.minimum);
      if (schema.maximum !== undefined && value > schema.maximum) out.push(where + ": above " + schema.maximum);
    }
    if (type === "array") {
      if (schema.maxItems !== undefined && value.length > schema.maxItems) out.push(where + ": more than " + schema.maxItems + " items");
      if (schema.items) value.forEach((item, i) => wrong(schema.items, item, where + "[" + i + "]", out));
    }
    if (type === "object") {
      if (schema.maxProperties !== undefined && Object.keys(value).length > schema.maxProperties) out.push(where + ": more than " + schema.maxProperties + " keys");
      if (schema.propertyNames) Object.keys(value).forEach((key) => wrong(schema.propertyNames, key, where + " key", out));
      for (const key of schema.required || []) if (!Object.hasOwn(value, key)) out.push(where + ": '" + key + "' is missing");
      for (const [key, item] of Object.entries(value)) {
        const known = schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : null;
        if (known) wrong(known, item, where + "." + key, out);
        else if (schema.additionalProperties === false) out.push(where + ": unknown key '" + key + "'");
        else if (schema.additionalProperties && typeof schema.additionalProperties === "object") wrong(schema.additionalProperties, item, where + "." + key, out);
      }
    }
    return out;
  }

  class Workspace {
    constructor(root, data) {
      this.root = root;
      this.data = data;
      this.spec = { facts: data.facts, rows: data.rows, derived: data.derived, every_hours: data.every_hours };
      this.formats = {}; // template id -> chosen format
      this.live = h("p", { class: "icp-offscreen", "aria-live": "polite" });
      this.alert = h("div", { class: "icp-ws__alert", role: "alert" });
      this.body = h("div", { class: "icp-ws__body" });
      root.replaceChildren(this.alert, this.body, this.live);
      store.onChange(() => this.draw(true));
      addEventListener("hashchange", () => this.follow());
      document.addEventListener("visibilitychange", () => { if (!document.hidden) this.tick(); });
      this.timer = setInterval(() => this.tick(), 15 * 1000);
      this.draw();
      this.follow();
      if (!icp.checker) loadChecker().then(() => this.draw(true), () => { /* the filled texts stay as they are */ });
    }

    say(text) {
      this.live.textContent = "";
      setTimeout(() => { this.live.textContent = text; }, 30);
    }

    /* A change to the store; what went wrong (a full store) is said at the top, and nothing is lost silently. */
    change(fn, said, typing) {
      const { ok, problem } = store.change(fn);
      this.alert.replaceChildren(...(ok ? [] : [h("p", { class: "icp-notice icp-notice--warn" }, problem)]));
      if (typing && ok) this.refill(); // while a fact is typed, its field stays as it is
      else this.draw(true);
      if (ok && said) this.say(said);
      return ok;
    }

    current() { return this.state.incidents[this.state.active] || null; }

    /* The templates again, from the facts as they are now. */
    refill() {
      this.state = store.read().data;
      const incident = this.current();
      const section = this.root.querySelector(".icp-ws__templates");
      if (!incident || !section) return;
      const opened = new Set([...section.querySelectorAll("details[open]")].map((d) => d.id));
      const fresh = this.templates(incident, Boolean(incident.closed_at));
      fresh.querySelectorAll("details[id]").forEach((d) => { d.open = opened.has(d.id); });
      section.replaceWith(fresh);
    }

    /* The whole workspace from the store. keep: redraw in place (another tab, or a change here), keeping the
     * focus and what is being typed. */
    draw(keep) {
      const { data, problem } = store.read();
      this.state = data;
      this.problem = problem;
      if (!this.root.isConnected) { clearInterval(this.timer); return; } // a page instant navigation left
      const active = keep && document.activeElement && this.root.contains(document.activeElement) ? document.activeElement : null;
      const focus = active && active.id;
      // a control with no id (a button) gets the focus back by its place among those of its name
      const twins = (el) => [...this.root.querySelectorAll(el.tagName)].filter((e) => e.textContent === el.textContent);
      const place = active && !focus ? twins(active).indexOf(active) : -1;
      const caret = focus && document.activeElement.selectionStart;
      const opened = new Set([...this.root.querySelectorAll("details[open][id]")].map((d) => d.id));
      const scroll = scrollY;
      if (data.clock === null || data.clock.every_hours !== this.data.every_hours || data.clock.warn_minutes !== this.data.warn_minutes) {
        if (!problem) store.change((d) => { d.clock = { every_hours: this.data.every_hours, warn_minutes: this.data.warn_minutes }; });
      }
      const incident = this.current();
      this.body.replaceChildren(...[
        problem && this.unreadable(problem),
        this.list(),
        incident ? this.incident(incident) : this.startForm(),
        // the next Comms Lead, on a browser that holds no incident yet, imports the one handed over
        !incident && !problem && h("section", { class: "icp-ws__handover", "aria-labelledby": "ws-import-title" },
          h("h2", { id: "ws-import-title" }, "Taking over an incident?"), this.importer()),
      ].filter(Boolean));
      if (keep) {
        opened.forEach((id) => { const d = document.getElementById(id); if (d) d.open = true; });
        const again = focus ? document.getElementById(focus) : place >= 0 ? twins(active)[place] : null;
        if (again) {
          again.focus({ preventScroll: true });
          if (caret !== null && caret !== undefined && typeof again.setSelectionRange === "function" && again.type !== "checkbox") {
            try { again.setSelectionRange(caret, caret); } catch { /* not a text field */ }
          }
        }
        scrollTo(scrollX, scroll);
      }
      this.tick();
    }

    unreadable(problem) {
      const raw = problem.raw;
      return h("div", { class: "icp-notice icp-notice--warn", role: "status" }, h("p", null, UNREADABLE[problem.kind]),
        raw && h("p", null,
          button("Download what is stored", () => this.download("incidents-kept-in-this-browser.txt", raw, "text/plain")), " ",
          problem.kind === "corrupt" && button("Clear it and start again", (event) => this.ask(event.currentTarget,
            "Clear the damaged data for good? Download it first if you may need it.", "Yes, clear it", () => {
              try { localStorage.removeItem(store.KEY); } catch { /* storage off */ }
              this.draw();
              this.say("Cleared");
            }))));
    }

    /* The incidents kept here, to switch between, and a way to start one. */
    list() {
      const all = Object.values(this.state.incidents).sort((a, b) => (a.opened_at < b.opened_at ? 1 : -1));
      if (!all.length) return null;
      const active = this.state.active;
      return h("nav", { class: "icp-ws__list", "aria-label": "Incidents in this browser" },
        h("h2", { id: "incidents" }, "Incidents in this browser"),
        h("ul", null, all.map((incident) => h("li", null,
          incident.id === active
            ? h("strong", { "aria-current": "true" }, this.name(incident))
            : h("button", { type: "button", class: "icp-link-btn", onclick: () => this.open(incident.id) }, this.name(incident)),
          " ", h("span", { class: "icp-ws__state" }, this.stateText(incident))))),
        active && button("Start another incident", () => this.open(null)));
    }

    name(incident) { return incident.practice ? "Practice" : incident.facts.incident_name || "Unnamed incident"; }

    stateText(incident) {
      if (incident.practice) return "(practice walks, never part of a real incident)";
      const bits = [incident.facts.severity, incident.facts.security === "yes" && "security", incident.closed_at ? "closed" : "open"];
      return "(" + bits.filter(Boolean).join(", ") + ")";
    }

    open(id) {
      this.change((d) => { d.active = id; });
      const heading = this.root.querySelector("h2#incident, h2#start");
      if (heading) heading.focus();
    }

    field(id, label, control, help) {
      return h("div", { class: "icp-field" }, h("label", { for: id }, label),
        help && h("span", { class: "icp-field__help", id: id + "-help" }, help), control);
    }

    startForm() {
      const when = h("input", { type: "datetime-local", id: "ws-start-at", value: localValue(new Date()), "aria-describedby": "ws-start-at-help" });
      const name = h("input", { type: "text", id: "ws-start-name", autocomplete: "off", required: true, "aria-describedby": "ws-start-name-help" });
      const severity = h("select", { id: "ws-start-severity" }, this.data.severities.map((s) => h("option", { value: s }, s)));
      const security = h("input", { type: "checkbox", id: "ws-start-security" });
      const products = h("input", { type: "text", id: "ws-start-products", autocomplete: "off", "aria-describedby": "ws-start-products-help" });
      const error = h("p", { class: "icp-field__error", id: "ws-start-error" });
      const start = (event) => {
        event.preventDefault();
        const at = fromLocal(when.value);
        if (!name.value.trim() || !at) {
          error.textContent = !name.value.trim() ? "Give the incident a name or number." : "Give the start as a date and a time.";
          (!name.value.trim() ? name : when).focus();
          return;
        }
        const incident = store.blank(newId(), false);
        incident.facts = { incident_name: name.value.trim(), severity: severity.value, security: security.checked ? "yes" : "no", start_utc: iso(at) };
        incident.rows.products = products.value.split(",").map((p) => p.trim()).filter(Boolean).slice(0, 200).map((product) => ({ product }));
        if (this.change((d) => { d.incidents[incident.id] = incident; d.active = incident.id; }, "Incident started: " + incident.facts.incident_name)) {
          const heading = this.root.querySelector("h2#incident");
          if (heading) heading.focus();
        }
      };
      return h("form", { class: "icp-ws__start", onsubmit: start, novalidate: true },
        h("h2", { id: "start", tabindex: "-1" }, "Start an incident"),
        h("p", null, "Everything you enter stays in this browser: nothing is sent anywhere. Times are in your time zone (", zone(), ")."),
        this.field("ws-start-name", "Name or number", name, "As the incident is known, e.g. INC-517 delayed event ingestion."),
        this.field("ws-start-at", "Started at", when, "When the incident began, in " + zone() + "."),
        this.field("ws-start-severity", "Severity", severity),
        h("div", { class: "icp-field icp-field--check" }, h("label", { for: "ws-start-security" }, security, " This is a security incident")),
        this.field("ws-start-products", "Affected products", products, "Separated by commas; their impact comes next."),
        error,
        h("button", { type: "submit", class: "md-button md-button--primary icp-btn" }, "Start the incident"));
    }

    incident(incident) {
      const closed = Boolean(incident.closed_at);
      return h("section", { class: "icp-ws__incident", "aria-labelledby": "incident" },
        h("h2", { id: "incident", tabindex: "-1" }, this.name(incident)),
        h("p", { class: "icp-ws__meta" }, this.stateText(incident), " · opened ", shown(new Date(incident.opened_at)),
          incident.closed_at ? [" · closed ", shown(new Date(incident.closed_at))] : ""),
        incident.practice && h("p", { class: "icp-notice" }, "The practice incident holds the walks made on the practice page. Nothing of it is part of a real incident."),
        closed && h("p", { class: "icp-notice" }, "Closed: kept read-only for the post-mortem. Reopen it to change anything."),
        this.clock(incident, closed),
        this.facts(incident, closed),
        this.walks(incident),
        this.templates(incident, closed),
        this.log(incident, closed),
        this.handover(incident),
        this.closing(incident));
    }

    /* The status-page clock: last update, next due (every_hours from the organisation file), a countdown. */
    clock(incident, closed) {
      const at = h("input", { type: "datetime-local", id: "ws-updated-at", value: localValue(new Date()) });
      this.clockText = h("p", { class: "icp-ws__due", id: "ws-due" });
      const record = (date) => {
        if (!date) { this.say("Give the update's date and time"); return; }
        this.change((d) => {
          const i = d.incidents[incident.id];
          i.status_updates.push(iso(date));
          i.status_updates.sort();
          if (i.status_updates.length > 500) i.status_updates.splice(0, i.status_updates.length - 500);
        }, "Status page update recorded: " + shown(date));
      };
      const notify = h("input", { type: "checkbox", id: "ws-notify", checked: this.notifying(incident.id), onchange: () => this.setNotify(incident.id, notify) });
      const updates = incident.status_updates.slice().reverse();
      return h("section", { class: "icp-ws__clock", "aria-labelledby": "ws-clock" },
        h("h3", { id: "ws-clock" }, "Status page"),
        this.clockText,
        h("fieldset", { disabled: closed },
          h("legend", null, "When was the status page last updated?"),
          button("Updated just now", () => record(new Date()), { class: "md-button md-button--primary icp-btn" }), " ",
          h("span", { class: "icp-ws__or" }, "or at "),
          h("label", { for: "ws-updated-at", class: "icp-offscreen" }, "Updated at, in " + zone()), at, " ",
          button("Record this time", () => record(fromLocal(at.value)))),
        h("div", { class: "icp-field icp-field--check" }, h("label", { for: "ws-notify" }, notify, " Remind me with a browser notification " + this.data.warn_minutes + " minutes before an update is due (while this site is open)")),
        h("p", null, button("Download the next checks for a calendar (.ics)", () => this.calendar(incident), { disabled: !incident.status_updates.length })),
        updates.length > 0 && h("details", { id: "ws-updates" }, h("summary", null, "Updates recorded (" + updates.length + ")"),
          h("ul", null, updates.map((u) => fill.utcTime(u)).filter(Boolean).map((u) => h("li", null, shown(u), " (", utc(u), ")")))));
    }

    due(incident) {
      const last = fill.lastUpdate(incident);
      return last && new Date(last.getTime() + this.data.every_hours * 3600 * 1000);
    }

    /* The countdown, every 15 s and when the page is seen again (a laptop that slept is right at once); said aloud
     * only when its state changes (due soon, overdue), never every tick. */
    tick() {
      const incident = this.current();
      if (!incident || !this.clockText || !this.clockText.isConnected) return;
      const last = fill.lastUpdate(incident);
      const due = this.due(incident);
      let state = "none";
      let parts;
      if (!due) parts = [h("strong", null, "Not updated yet. "), "Record the status page's last update to start the clock: the next one is due " + this.data.every_hours + " hours after it."];
      else {
        const left = due.getTime() - Date.now();
        state = left < 0 ? "overdue" : left <= this.data.warn_minutes * MINUTE ? "soon" : "fine";
        parts = [
          "Last updated ", shown(last), ". ",
          state === "overdue" ? h("strong", null, "Overdue by " + span(left) + ": ") : h("strong", null, "Next update due in " + span(left) + ": "),
          state === "overdue" ? "it was due by " : "by ", shown(due), " (", utc(due), ").",
        ];
        if (state === "soon" || state === "overdue") this.remind(incident, due, state);
      }
      if (incident.closed_at) state = "closed";
      this.clockText.replaceChildren(...parts);
      this.clockText.className = "icp-ws__due icp-ws__due--" + state;
      if (this.said && this.said.id === incident.id && this.said.state !== state && (state === "soon" || state === "overdue")) {
        this.say(state === "overdue" ? "The status page update is overdue" : "The status page update is due in " + span(due.getTime() - Date.now()));
      }
      this.said = { id: incident.id, state };
    }

    notifying(id) { try { return (JSON.parse(localStorage.getItem("icp-notify")) || []).includes(id); } catch { return false; } }

    setNotify(id, box) {
      const set = (on) => {
        try {
          const list = (JSON.parse(localStorage.getItem("icp-notify")) || []).filter((x) => x !== id);
          if (on) list.push(id);
          localStorage.setItem("icp-notify", JSON.stringify(list));
        } catch { /* storage off */ }
      };
      if (!box.checked) { set(false); this.say("Reminders off"); return; }
      if (!("Notification" in window)) { box.checked = false; this.say("This browser has no notifications"); return; }
      // asked only now, when the reader turns reminders on
      Promise.resolve(Notification.permission === "granted" ? "granted" : Notification.requestPermission()).then((answer) => {
        box.checked = answer === "granted";
        set(box.checked);
        this.say(box.checked ? "Reminders on" : "Notifications are blocked for this site: turn them on in the browser's settings");
      });
    }

    remind(incident, due, state) {
      if (!this.notifying(incident.id) || !("Notification" in window) || Notification.permission !== "granted") return;
      const key = incident.id + "@" + due.getTime() + state;
      let sent = [];
      try { sent = JSON.parse(sessionStorage.getItem("icp-notified")) || []; } catch { sent = []; }
      if (sent.includes(key)) return;
      sent.push(key);
      try { sessionStorage.setItem("icp-notified", JSON.stringify(sent.slice(-50))); } catch { /* storage off */ }
      new Notification(state === "overdue" ? "Status page update overdue" : "Status page update due soon", {
        body: this.name(incident) + ": due by " + shown(due), tag: key,
      });
    }

    /* The next four checks as calendar events, each with an alarm warn_minutes before the update is due. */
    calendar(incident) {
      const due = this.due(incident);
      if (!due) return;
      const stamp = (date) => iso(date).replace(/[-:]/g, "");
      const text = (value) => String(value).replace(/[\\;,]/g, (c) => "\\" + c).replace(/\r?\n/g, "\\n");
      const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Incident Comms Playbook//Workspace//EN", "CALSCALE:GREGORIAN"];
      for (let k = 0; k < 4; k += 1) {
        const at = new Date(due.getTime() + k * this.data.every_hours * 3600 * 1000);
        lines.push("BEGIN:VEVENT", "UID:" + incident.id + "-" + stamp(at) + "@incident-comms-playbook", "DTSTAMP:" + stamp(new Date()),
          "DTSTART:" + stamp(new Date(at.getTime() - this.data.warn_minutes * MINUTE)), "DTEND:" + stamp(at),
          "SUMMARY:" + text("Status page update due: " + this.name(incident)),
          "DESCRIPTION:" + text("Check with the Incident Lead that the status page is updated by " + utc(at) + (k ? " (if the one before came on time)." : ".")),
          "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:" + text("Status page update due"), "TRIGGER:-PT0M", "END:VALARM", "END:VEVENT");
      }
      lines.push("END:VCALENDAR");
      this.download("status-page-checks-" + slug(this.name(incident)) + ".ics", lines.join("\r\n") + "\r\n", "text/calendar");
    }

    /* Facts entered once: every template takes them. Kept as they are typed. */
    facts(incident, closed) {
      const set = (write) => (event) => {
        const value = event.target.type === "checkbox" ? (event.target.checked ? "yes" : "no") : event.target.value;
        this.change((d) => { write(d.incidents[incident.id], value); }, null, event.type === "input");
      };
      const control = (fact, id, value, write) => {
        const attrs = { id, "aria-describedby": fact.help ? id + "-help" : null, onchange: set(write) };
        // typed text is kept as it is typed, and redraws only the templates (a redraw on leaving the field would
        // take the focus from where the keyboard goes next)
        if (fact.kind === "long") return h("textarea", { ...attrs, rows: 2, onchange: null, oninput: set(write) }, value);
        if (fact.kind === "choice") {
          const choices = fact.choices.includes(value) || !value ? fact.choices : [value, ...fact.choices];
          return h("select", attrs, h("option", { value: "" }, "(not set)"), choices.map((c) => h("option", { value: c, selected: c === value }, c)));
        }
        if (fact.kind === "yesno") return h("select", attrs, [["no", "No"], ["yes", "Yes"]].map(([v, l]) => h("option", { value: v, selected: v === (value || "no") }, l)));
        if (fact.kind === "time") {
          const date = fill.utcTime(value);
          return h("input", { ...attrs, type: "datetime-local", value: date ? localValue(date) : "", onchange: (event) => {
            const moment = fromLocal(event.target.value);
            this.change((d) => { write(d.incidents[incident.id], moment ? iso(moment) : ""); });
          } });
        }
        return line({ ...attrs, onchange: null, oninput: set(write) }, value);
      };
      const singles = this.data.facts.map((fact) => this.field("ws-fact-" + fact.key, fact.label + (fact.kind === "time" ? " (" + zone() + ")" : ""),
        control(fact, "ws-fact-" + fact.key, incident.facts[fact.key] || "", (i, v) => { if (v) i.facts[fact.key] = v; else delete i.facts[fact.key]; }), fact.help));
      const group = this.data.rows.products;
      const rows = incident.rows.products || [];
      const products = rows.map((row, r) => h("fieldset", { class: "icp-row" },
        h("legend", null, group.label + " " + (r + 1) + (row.product ? ": " + row.product : "")),
        group.fields.map((f) => this.field("ws-products-" + r + "-" + f.key, f.label,
          control(f, "ws-products-" + r + "-" + f.key, row[f.key] || "", (i, v) => { if (i.rows.products[r]) i.rows.products[r][f.key] = v; }), f.help)),
        button("Remove " + group.label.toLowerCase() + " " + (r + 1), () => this.change((d) => { d.incidents[incident.id].rows.products.splice(r, 1); }, "Removed"))));
      return h("section", { class: "icp-ws__facts", "aria-labelledby": "ws-facts" },
        h("h3", { id: "ws-facts" }, "Facts, entered once"),
        h("p", null, "Every template below is filled from these, so each message says the same. Kept as you type."),
        h("fieldset", { disabled: closed, class: "icp-ws__fields" }, h("legend", null, "The incident"), singles),
        h("fieldset", { disabled: closed, class: "icp-ws__fields" }, h("legend", null, group.label + "s and their impact"), products,
          button("Add a " + group.label.toLowerCase(), () => this.change((d) => { d.incidents[incident.id].rows.products.push({}); }, "Added"))));
    }

    /* Walks made for this incident: started from here, they record their outcome and ticks against it. */
    walks(incident) {
      const closed = Boolean(incident.closed_at);
      return h("section", { class: "icp-ws__walks", "aria-labelledby": "ws-walks" },
        h("h3", { id: "ws-walks" }, "Walks"),
        incident.practice ? h("p", null, "Walks on the practice page come here.")
          : h("p", null, closed ? "Closed: walks no longer record here." : "While this incident is open, every walk you make records its outcome and ticks here. Start one:"),
        !incident.practice && !closed && h("ul", { class: "icp-ws__starts" }, this.data.playbooks.map((pb) => h("li", null, h("a", { href: pb.href }, pb.title)))),
        incident.walks.length > 0 && h("ul", { class: "icp-ws__walked" }, incident.walks.slice().reverse().map((walk) => {
          const pb = this.data.playbooks.find((p) => p.id === walk.playbook);
          const ticked = Object.entries(incident.ticks).filter(([key]) => walk.address.slice(1).startsWith(key.split("~")[0]))
            .reduce((n, [, list]) => n + list.filter(Boolean).length, 0);
          return h("li", null, pb ? h("a", { href: pb.href + walk.address }, walk.outcome) : walk.outcome,
            " (", pb ? pb.title : walk.playbook, ", ", shown(new Date(walk.at)), ticked ? ", " + ticked + " ticked" : "", ")");
        })));
    }

    /* The template's text in one format, from the incident's facts and log. */
    filled(template, format, incident) {
      const plan = template.formats[format];
      return fill.render(plan, fill.valuesFor(plan, incident, this.spec));
    }

    templates(incident, closed) {
      const groups = WHEN.map(([when, label]) => {
        const list = this.data.templates.filter((t) => t.when === when);
        return list.length ? [h("h4", null, label), ...list.map((t) => this.template(t, incident, closed))] : [];
      });
      return h("section", { class: "icp-ws__templates", "aria-labelledby": "ws-templates" },
        h("h3", { id: "ws-templates" }, "Templates, filled from the facts"),
        h("p", null, "Copy one in the form its channel takes. What the facts do not say stays as a {{ placeholder }}, listed by name."),
        groups.flat());
    }

    template(t, incident, closed) {
      const format = Object.hasOwn(t.formats, this.formats[t.id] || "") ? this.formats[t.id] : "markdown";
      const { text, missing } = this.filled(t, format, incident);
      const base = "ws-template-" + t.id;
      const kept = this.draftOf(incident, t.id);
      const output = h("pre", { class: "icp-ws__output", tabindex: "0", role: "region", "aria-label": t.title + ", as the facts fill it" }, h("code", null, text));
      const choose = h("fieldset", { class: "icp-ws__format" }, h("legend", null, "Copy as"),
        FORMATS.filter(([value]) => Object.hasOwn(t.formats, value)).map(([value, label]) => h("label", null, h("input", { type: "radio", name: base + "-format", value, id: base + "-" + value, checked: value === format,
          onchange: () => { this.formats[t.id] = value; this.draw(true); } }), " ", label)));
      const open = h("span", { class: "icp-ws__open" });
      const status = (findings) => {
        open.textContent = "(" + [missing.length ? missing.length + " still open" : "complete",
          findings.length && findings.length + " to look at"].filter(Boolean).join(", ") + ")";
      };
      status([]);
      // the message itself: the template as the facts fill it until it is edited, then the edited text (kept)
      const host = h("div", { class: "icp-ws__draft" }, !icp.checker && kept && h("pre", { class: "icp-ws__edited", tabindex: "0",
        role: "region", "aria-label": t.title + ", as you edited it" }, h("code", null, kept.text)));
      const editor = !icp.checker ? { value: () => (kept ? kept.text : text) } : icp.checker.attach(host, {
        data: this.data.drafts, id: base + "-draft", readOnly: closed, text: kept ? kept.text : text,
        scope: { ...t.draft, security: t.draft.security || incident.facts.security === "yes" },
        label: "The message, checked as you type",
        hint: kept ? "Edited " + shown(new Date(kept.at)) + ": the facts no longer change it." : "Filled from the facts; edit it here, and the edit is kept with the incident.",
        onInput: (value) => this.keepDraft(incident.id, t.id, value, host),
        onCheck: status,
      });
      return h("details", { class: "icp-ws__template", id: "template-" + t.id },
        h("summary", null, t.title, " ", open),
        h("p", { class: "icp-ws__audience" }, "For: ", t.audience),
        choose,
        h("p", { class: missing.length ? "icp-notice" : null }, missing.length ? "Still open (" + missing.length + "): " + missing.join(", ") + "." : "Every placeholder is filled."),
        h("div", { class: "icp-controls" },
          button("Copy", (event) => copy(event.currentTarget, editor.value(), "Copy failed: select the text instead"), { "aria-label": "Copy " + t.title }),
          !closed && button("Mark as sent…", (event) => this.sentForm(event.currentTarget, t, incident), { "aria-label": "Mark as sent: " + t.title }),
          !closed && kept && button("Start again from the template…", (event) => this.ask(event.currentTarget,
            "Drop your edits to “" + t.title + "” and take the template as the facts fill it?", "Yes, start again",
            () => this.change((d) => { delete d.incidents[incident.id].drafts[t.id]; }, "Back to the template")), { "aria-label": "Start again from the template: " + t.title })),
        host,
        this.shownFilled(base, output, Boolean(kept), !icp.checker));
    }

    /* The template as the facts fill it now: the message itself while there is no checker to edit it in and no
     * edit; once edited, shown only on demand beside the edit. */
    shownFilled(base, output, edited, alone) {
      output.id = base + "-filled";
      output.hidden = edited || !alone;
      const toggle = edited && button("Show the template as the facts fill it now", () => {
        output.hidden = !output.hidden;
        toggle.setAttribute("aria-expanded", String(!output.hidden));
      }, { "aria-expanded": "false", "aria-controls": output.id, class: "md-button icp-btn icp-ws__show-filled" });
      return h("div", { class: "icp-ws__filled" }, toggle, output);
    }

    /* The edited draft of template `id` kept with the incident, or null. */
    draftOf(incident, id) {
      const kept = incident.drafts && Object.hasOwn(incident.drafts, id) ? incident.drafts[id] : null;
      return kept && typeof kept.text === "string" && typeof kept.at === "string" ? kept : null;
    }

    /* A draft as it is typed: kept with the incident (no redraw, so the field stays as it is). */
    keepDraft(incidentId, id, text, host) {
      const tooLong = [...text].length > this.data.max_draft;
      const { ok, problem } = tooLong ? { ok: false, problem: null } : store.change((d) => {
        const incident = d.incidents[incidentId];
        if (!incident || incident.closed_at) return;
        // kept before drafts were, or damaged: a fresh set
        if (!incident.drafts || typeof incident.drafts !== "object" || Array.isArray(incident.drafts)) incident.drafts = {};
        incident.drafts[id] = { text, at: iso(new Date()) };
      });
      let warn = host.querySelector(".icp-ws__draft-warn");
      if (ok) { if (warn) warn.remove(); return; }
      if (!warn) host.prepend(warn = h("p", { class: "icp-notice icp-notice--warn icp-ws__draft-warn", role: "alert" }));
      warn.textContent = tooLong
        ? "This draft is too long to keep with the incident (at most " + this.data.max_draft.toLocaleString() + " characters): it is checked, but the last change is NOT kept."
        : problem;
    }

    /* Mark a message sent: it goes into the comms log, which the comms plan and the handover note carry. */
    sentForm(control, t, incident) {
      const old = control.parentElement.parentElement.querySelector(".icp-ws__sent");
      if (old) { old.querySelector("input").focus(); return; }
      const base = "ws-sent-" + (t ? t.id : "by-hand");
      const at = h("input", { type: "datetime-local", id: base + "-at", value: localValue(new Date()) });
      const inputs = {
        message_channel: line({ id: base + "-channel" }, t ? t.channel : ""),
        message_audience: line({ id: base + "-audience" }, t ? t.audience : ""),
        message_summary: line({ id: base + "-summary" }, t ? t.title : ""),
        fact_checked_by: line({ id: base + "-checked", "aria-describedby": base + "-checked-help" }),
      };
      const form = h("form", { class: "icp-ws__sent icp-confirm", novalidate: true, onsubmit: (event) => {
        event.preventDefault();
        const when = fromLocal(at.value);
        if (!when) { at.focus(); this.say("Give the time it was sent"); return; }
        const entry = { message_time: utc(when) };
        for (const [key, input] of Object.entries(inputs)) entry[key] = input.value.trim();
        entry.message_status = "Sent";
        this.change((d) => {
          const log = d.incidents[incident.id].rows.messages;
          log.push(entry);
          log.sort((a, b) => (a.message_time < b.message_time ? -1 : a.message_time > b.message_time ? 1 : 0));
          if (log.length > 200) log.splice(0, log.length - 200);
        }, "Added to the comms log");
      } },
      h("p", { class: "icp-ws__sent-title" }, "Into the comms log"),
      this.field(base + "-at", "Sent at (" + zone() + ")", at),
      this.field(base + "-channel", "Channel", inputs.message_channel),
      this.field(base + "-audience", "Audience", inputs.message_audience),
      this.field(base + "-summary", "What it said, in a few words", inputs.message_summary),
      this.field(base + "-checked", "Fact-checked by", inputs.fact_checked_by, "Who checked the facts before it went out (the guideline asks for it)."),
      h("button", { type: "submit", class: "md-button md-button--primary icp-btn" }, "Add to the log"), " ",
      button("Cancel", () => { form.remove(); control.focus(); }));
      control.parentElement.after(form);
      at.focus();
    }

    log(incident, closed) {
      const log = incident.rows.messages || [];
      const fields = this.data.rows.messages.fields.filter((f) => f.key !== "message_status");
      const remove = (i) => (event) => this.ask(event.currentTarget, "Remove this entry from the log?", "Yes, remove it",
        () => this.change((d) => { d.incidents[incident.id].rows.messages.splice(i, 1); }, "Entry removed"));
      const row = (entry, i) => h("tr", null, fields.map((f) => h("td", null, entry[f.key] || "")),
        !closed && h("td", null, button("Remove", remove(i), { class: "icp-link-btn", "aria-label": "Remove entry " + (i + 1) })));
      const table = h("table", null, h("caption", null, "Messages sent, oldest first (times in UTC)"),
        h("thead", null, h("tr", null, fields.map((f) => h("th", { scope: "col" }, f.label)),
          !closed && h("th", { scope: "col" }, h("span", { class: "icp-offscreen" }, "Remove")))),
        h("tbody", null, log.map(row)));
      return h("section", { class: "icp-ws__log", "aria-labelledby": "ws-log" },
        h("h3", { id: "ws-log" }, "Comms log"),
        log.length ? h("div", { class: "icp-scroll", tabindex: "0", role: "region", "aria-label": "The messages sent, as a table" }, table)
          : h("p", null, "Nothing sent yet. Mark a template as sent, or add an entry by hand."),
        !closed && h("div", { class: "icp-controls" }, button("Add an entry by hand…", (event) => this.sentForm(event.currentTarget, null, incident))));
    }

    /* As kept now: a draft typed since the last redraw is in the store, not yet in the incident drawn. */
    exported(incident) {
      const kept = store.read().data.incidents[incident.id] || incident;
      return { format: this.data.format, version: this.data.version, exported_at: iso(new Date()), incident: kept };
    }

    /* The handover template as the card holds it (its edit, when there is one, kept as typed), or the record. */
    handoverNote(incident) {
      const t = this.data.templates.find((x) => x.when === "handover");
      if (!t) return this.record(incident);
      const kept = this.draftOf(store.read().data.incidents[incident.id] || incident, t.id);
      return kept ? kept.text : this.filled(t, "markdown", incident).text;
    }

    importer() {
      const file = h("input", { type: "file", id: "ws-import-file", accept: ".json,application/json" });
      const paste = h("textarea", { id: "ws-import-text", rows: 3, "aria-describedby": "ws-import-text-help" });
      // what an import said (and its "Replace" button) stays through a redraw: another tab, the checker arriving
      this.importStatus = this.importStatus || h("div", { class: "icp-ws__import-status", role: "status" });
      return h("details", { id: "ws-import" }, h("summary", null, "Import an incident"),
        this.field("ws-import-file", "From a file", file),
        this.field("ws-import-text", "Or paste a handover link or the file's text", paste, "A link made by “Copy a handover link”, or the text of a downloaded file."),
        h("div", { class: "icp-controls" },
          button("Import", () => {
            if (file.files && file.files[0]) file.files[0].text().then((text) => this.take(text), () => this.importSays(["The file could not be read."]));
            else this.take(paste.value);
          })),
        this.importStatus);
    }

    handover(incident) {
      return h("section", { class: "icp-ws__handover", "aria-labelledby": "ws-handover" },
        h("h3", { id: "ws-handover" }, "Handover"),
        h("p", null, "The next Comms Lead imports the incident and sees the same facts, clock, log and walks. The file and the link hold everything; the link's incident is after the #, which the browser never sends to a server."),
        h("div", { class: "icp-controls" },
          button("Download the incident (.json)", () => this.download("incident-" + slug(this.name(incident)) + ".json", JSON.stringify(this.exported(incident), null, 2) + "\n", "application/json")),
          button("Copy a handover link", (event) => copy(event.currentTarget, this.link(incident), "Copy failed: download the file instead")),
          button("Copy the handover note", (event) => copy(event.currentTarget, this.handoverNote(incident)))),
        this.importer());
    }

    link(incident) {
      const bytes = new TextEncoder().encode(JSON.stringify(this.exported(incident)));
      let binary = "";
      bytes.forEach((b) => { binary += String.fromCharCode(b); });
      return location.href.split("#")[0] + IMPORT + btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    }

    importSays(lines, ok) {
      const status = this.importStatus || this.alert;
      status.replaceChildren(h("div", { class: ok ? "icp-notice" : "icp-notice icp-notice--warn" },
        lines.length === 1 ? h("p", null, lines[0]) : [h("p", null, lines[0]), h("ul", null, lines.slice(1).map((l) => h("li", null, l)))]));
    }

    /* An incident from a file's text or a handover link: checked against the export file's schema first. */
    take(text) {
      text = String(text || "").trim();
      const at = text.indexOf(IMPORT);
      if (at >= 0) {
        try {
          const b64 = text.slice(at + IMPORT.length).replace(/-/g, "+").replace(/_/g, "/");
          text = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
        } catch {
          this.importSays(["This handover link is damaged (it may have been cut short): ask for it again, or for the file."]);
          return;
        }
      }
      if (!text) { this.importSays(["Choose a file or paste a link or the file's text first."]); return; }
      let file;
      try { file = JSON.parse(text); } catch (error) {
        this.importSays(["This is not an incident file: it is not JSON (" + error.message + ")."]);
        return;
      }
      if (file && typeof file === "object" && Number.isInteger(file.version) && file.version > this.data.version && file.format === this.data.format) {
        this.importSays(["This incident was exported by a newer version of this site (file version " + file.version + ", this site reads " + this.data.version + "): import it there."]);
        return;
      }
      const problems = wrong(this.data.schema, file, "file", []);
      if (problems.length) {
        this.importSays(["This is not an incident file this site can import (" + problems.length + (problems.length > 20 ? "+" : "") + " problems):", ...problems.slice(0, 20)]);
        return;
      }
      const incident = file.incident;
      const mine = this.state.incidents[incident.id];
      const put = () => {
        if (this.change((d) => { d.incidents[incident.id] = incident; if (!incident.practice) d.active = incident.id; }, "Imported")) {
          this.importSays(["Imported “" + this.name(incident) + "”."], true);
        }
      };
      if (mine) {
        this.importSays(["This browser already holds “" + this.name(mine) + "”. Importing replaces what is kept here for it."]);
        this.importStatus.append(button("Replace it with the imported one", put));
      } else put();
    }

    /* A handover link opened here: ask before importing it, and take it out of the address. */
    follow() {
      const hash = location.hash;
      if (hash.startsWith(IMPORT)) {
        history.replaceState(null, "", location.pathname + location.search);
        const details = document.getElementById("ws-import");
        if (details) details.open = true;
        this.take(hash);
        if (this.importStatus) this.importStatus.scrollIntoView({ block: "center" });
        return;
      }
      if (hash.startsWith("#template-")) {
        let id;
        try { id = decodeURIComponent(hash.slice(1)); } catch { return; } // not an address this page made
        const details = document.getElementById(id);
        if (details && details.matches("details")) {
          details.open = true;
          details.scrollIntoView({ block: "start" });
          icp.whenShown(() => details.querySelector("summary").focus({ preventScroll: true }));
        }
      }
    }

    /* The incident as Markdown, for the post-mortem. */
    record(incident) {
      const md = (value) => fill.clean(value || "");
      const lines = ["# " + md(this.name(incident)), ""];
      lines.push("- Opened: " + utc(new Date(incident.opened_at)), incident.closed_at ? "- Closed: " + utc(new Date(incident.closed_at)) : "- Still open");
      lines.push("", "## Facts", "");
      for (const fact of this.data.facts) if (incident.facts[fact.key]) {
        const moment = fact.kind === "time" && fill.utcTime(incident.facts[fact.key]);
        lines.push("- " + md(fact.label) + ": " + (moment ? utc(moment) : md(incident.facts[fact.key])));
      }
      lines.push("", "## " + md(this.data.rows.products.label) + "s", "");
      for (const row of incident.rows.products || []) {
        lines.push("- " + this.data.rows.products.fields.filter((f) => row[f.key]).map((f) => md(f.label) + ": " + md(row[f.key])).join("; "));
      }
      lines.push("", "## Status page updates (UTC)", "", ...incident.status_updates.map((u) => fill.utcTime(u)).filter(Boolean).map((u) => "- " + utc(u)));
      const fields = this.data.rows.messages.fields;
      lines.push("", "## Comms log", "", "| " + fields.map((f) => md(f.label)).join(" | ") + " |", "|" + fields.map(() => " --- |").join(""));
      for (const entry of incident.rows.messages || []) lines.push("| " + fields.map((f) => md(entry[f.key])).join(" | ") + " |");
      lines.push("", "## Walks", "", ...incident.walks.map((w) => "- " + utc(new Date(w.at)) + ": " + md(w.outcome) + " (" + md(w.playbook) + ")"));
      return lines.join("\n") + "\n";
    }

    closing(incident) {
      const closed = Boolean(incident.closed_at);
      return h("section", { class: "icp-ws__close", "aria-labelledby": "ws-close" },
        h("h3", { id: "ws-close" }, "Close or delete"),
        h("div", { class: "icp-controls" },
          !incident.practice && (closed
            ? button("Reopen the incident", () => this.change((d) => { d.incidents[incident.id].closed_at = null; }, "Reopened"))
            : button("Close the incident", (event) => this.ask(event.currentTarget, "Close it? It stays here, read-only, for the post-mortem.", "Yes, close it",
              () => this.change((d) => { d.incidents[incident.id].closed_at = iso(new Date()); }, "Closed")))),
          button("Download a record for the post-mortem (.md)", () => this.download("incident-" + slug(this.name(incident)) + ".md", this.record(incident), "text/markdown")),
          button("Delete this incident…", (event) => this.ask(event.currentTarget, "Delete “" + this.name(incident) + "” and everything kept with it (facts, clock, log, walks, ticks)? This cannot be undone.", "Yes, delete it",
            () => this.change((d) => { delete d.incidents[incident.id]; if (d.active === incident.id) d.active = null; }, "Deleted")))));
    }

    /* Ask in the page before anything that cannot be undone. */
    ask(control, question, yes, then) {
      const box = h("div", { class: "icp-confirm", role: "group", tabindex: "-1", "aria-label": question },
        h("p", null, question),
        button(yes, () => { box.remove(); then(); }), " ",
        button("No, keep it", () => { box.remove(); control.focus(); }));
      control.parentElement.after(box);
      box.focus();
    }

    download(name, text, type) {
      const url = URL.createObjectURL(new Blob([text], { type: type + ";charset=utf-8" }));
      const link = h("a", { href: url, download: name, class: "icp-offscreen" });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      this.say("Downloaded " + name);
    }
  }

  window.icpWorkspace = { wrong };

  function mount() {
    document.querySelectorAll(".icp-workspace[data-icp-workspace]:not([data-mounted])").forEach((root) => {
      root.setAttribute("data-mounted", "");
      try { new Workspace(root, JSON.parse(root.getAttribute("data-icp-workspace"))); } catch (error) {
        root.prepend(h("p", { class: "icp-notice" }, "The workspace could not start: use the playbooks and the templates page."));
        throw error;
      }
    });
  }

  mount();
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(mount);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
})();
