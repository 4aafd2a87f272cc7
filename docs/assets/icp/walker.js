/* Decision-tree walker: turns each static map (.icp-tree) into one question at a time.
 *
 * State lives in the URL hash, built from ids only. A walk is #<playbook>--<entry-node>/<answer-id>/...;
 * a walk reached through "Continue with" on another walk's outcome is followed by that earlier walk (and
 * the one before it), each after a "~". A page with several walkers joins their walks with "&" and leaves
 * out the ones not touched, so a page with one walker keeps the plain form that shared links use.
 * Every step is a history entry, so Back/Forward, reload and shared links restore the exact step.
 * Playbook text only ever reaches the page through text nodes, never as HTML.
 * A tree element names its playbook (data-icp-walk), the site root and the folder of the walker files, one
 * per playbook (macros/render/walk_data.py). The build puts the files a page needs before this script; a file
 * that is not here yet (instant navigation, an earlier walk from another playbook) is loaded on demand, once.
 * (No template literal inside another's ${…}: the minifier, rjsmin, does not parse them.)
 */
(() => {
  "use strict";

  const widgets = new Map(); // element -> Walker, in page order
  const RECENT = 12; // answers listed in full under "Your answers so far"
  const CARRY = 3; // earlier walks a "Continue with" link carries along
  const { h, copy } = window.icp; // from common.js
  const own = (object, key) => (Object.hasOwn(object, key) ? object[key] : undefined);
  /* Ticks and outcomes go with an incident (store.js, which site.js loads where there is one: on the practice
   * page, and on every page while an incident is open in the workspace); with none, the ticks stay in this tab
   * (its sessionStorage) until Start again. */
  const TAB = "icp-ticks:";
  const tab = {
    get: (key) => { try { return JSON.parse(sessionStorage.getItem(TAB + key)) || []; } catch { return []; } },
    set: (key, list) => { try { sessionStorage.setItem(TAB + key, JSON.stringify(list)); } catch { /* storage off */ } return {}; },
    forget: (prefix) => { try { Object.keys(sessionStorage).filter((k) => k.startsWith(TAB + prefix)).forEach((k) => sessionStorage.removeItem(k)); } catch { /* storage off */ } },
  };
  const incidents = () => window.icp.store;
  const ticksOf = (into, key) => (into ? incidents().ticks(into, key) : tab.get(key));
  /* The walks the address holds; null when it cannot be read. */
  const walks = () => { try { return decodeURIComponent(location.hash.slice(1)).split("&"); } catch { return null; } };
  const mine = (list, walker) => list.find((text) => text.startsWith(walker.id + "--"));
  const button = (label, onclick, attrs) => h("button", { type: "button", class: "md-button icp-btn", onclick, ...attrs }, label);

  /* The walker files: each one, as it runs, adds its playbook to this store (JSON text, parsed, never run). */
  const store = () => (window.icpWalks = window.icpWalks || {});
  const loading = new Map(); // file address -> Promise of the playbook's data, for the rest of the visit
  function file(root, playbookId) {
    if (Object.hasOwn(store(), playbookId)) return Promise.resolve(store()[playbookId]);
    if (!(root.dataset.icpPlaybooks || "").split(" ").includes(playbookId)) return Promise.reject(new Error("no playbook " + playbookId));
    const src = new URL(root.dataset.icpFiles + encodeURIComponent(playbookId) + ".js?v=" +
      encodeURIComponent(root.dataset.icpVersion || ""), location.href).href;
    if (!loading.has(src)) {
      loading.set(src, new Promise((resolve, reject) => {
        const failed = () => {
          loading.delete(src); // a later visit may try again
          tag.remove();
          reject(new Error("no walker file for " + playbookId));
        };
        const tag = h("script", { src, onload: () => (Object.hasOwn(store(), playbookId) ? resolve(store()[playbookId]) : failed()), onerror: failed });
        document.head.append(tag);
      }));
    }
    return loading.get(src);
  }
  /* The playbooks an address's earlier walks (after "~") were in. */
  const carriedIds = (text) => (text ? text.split("~").slice(1, CARRY + 1).map((part) => part.slice(0, Math.max(0, part.indexOf("--")))).filter(Boolean) : []);

  class Walker {
    constructor(root) {
      this.root = root;
      this.id = root.dataset.icpWalk;
      this.base = new URL(root.dataset.icpRoot || "./", location.href);
      this.data = { playbooks: {}, roles: {}, templates: {} };
      this.state = null; // set by begin(), once the playbook's file is in
      this.changing = null; // {keep: Map(node key -> answer id), old: answer id}
      this.notice = "";
      this.open = null; // "Your answers so far" unfolded; null: as it comes
      this.live = h("p", { class: "icp-offscreen", "aria-live": "polite" });
      this.view = h("div", { class: "icp-walk" });
    }

    url(href) { return new URL(href, this.base).href; }

    /* This walker's view of a playbook's file, with its addresses made absolute for this page. */
    adopt(pb) {
      if (Object.hasOwn(this.data.playbooks, pb.id)) return;
      this.data.playbooks[pb.id] = { ...pb, href: this.url(pb.href) };
      for (const [id, role] of Object.entries(pb.roles)) this.data.roles[id] = { ...role, href: this.url(role.href) };
      for (const [id, t] of Object.entries(pb.templates)) {
        this.data.templates[id] = { ...t, href: this.url(t.href), download: this.url(t.download) };
      }
    }

    has(id) { return Object.hasOwn(this.data.playbooks, id); }

    /* The files of these playbooks and of the playbooks their answers lead into. `optional`: a missing one is
     * left out (the walk that needed it then says its answers no longer fit) rather than stopping the walker. */
    need(ids, optional = false) {
      return Promise.all(ids.map((id) => {
        const got = (this.has(id) ? Promise.resolve(this.data.playbooks[id]) : file(this.root, id).then((pb) => {
          this.adopt(pb);
          return pb;
        })).then((pb) => Promise.all(pb.reach.filter((next) => !this.has(next))
          .map((next) => file(this.root, next).then((other) => this.adopt(other)))));
        return optional ? got.catch(() => null) : got;
      }));
    }

    /* The playbook is in: the walker takes the tree over (the steps drawn for reading without JavaScript leave
     * the page, which they would only burden from now on; print shows the walk). A walk in the address that
     * goes on into another playbook waits for that file; otherwise the walker starts at once. */
    begin(text) {
      this.state = this.initial();
      if (text) Object.assign(this, this.read(text));
      if (this.replay(this.state.entry, this.state.answers).blocked && !this.waited) {
        this.waited = true;
        this.need([this.id], true).then(() => this.begin(text));
        return;
      }
      this.root.querySelectorAll(":scope > ol.icp-map, :scope > noscript").forEach((part) => part.remove());
      this.root.classList.add("icp-tree--live");
      this.root.prepend(this.view, this.live);
      this.render();
      // the files of the playbooks its answers lead into: once the reader turns to the walk (a touch, the
      // pointer over it, the keyboard in it), not while the page loads
      const soon = () => this.need([this.id], true);
      for (const type of ["pointerover", "touchstart", "focusin"]) this.root.addEventListener(type, soon, { once: true, passive: true });
    }

    /* The file did not load (offline on a first visit, a broken deployment): every step stays on the page. */
    fail() {
      this.root.classList.add("icp-tree--failed");
      this.root.prepend(h("p", { class: "icp-notice", role: "status" },
        "The step-by-step walk could not load, so every step is shown: follow the answers from the first question."));
    }

    initial() { return { entry: [this.id, this.data.playbooks[this.id].start], answers: [], carried: [] }; }

    title(playbookId) { return this.data.playbooks[playbookId].title; }

    node([playbookId, nodeId]) {
      const pb = own(this.data.playbooks, playbookId);
      return pb && own(pb.nodes, nodeId);
    }

    /* Follow the answers from the entry node as far as they fit the playbooks (`blocked`: the playbook, not
     * loaded yet, that the next answer leads into). */
    replay(entry, answers) {
      const steps = [];
      let at = entry;
      let blocked = null;
      for (const answerId of answers) {
        const node = this.node(at);
        const answer = node && node.answers && node.answers.find((a) => a.id === answerId);
        if (!answer) break;
        if (!this.has(answer.next[0])) {
          blocked = answer.next[0];
          break;
        }
        steps.push({ at, answer });
        at = answer.next;
      }
      return { steps, at, stale: answers.length - steps.length, blocked };
    }

    /* The walk as address text: its own part, then the earlier walks it carries; `limit` parts at most. */
    text(state = this.state, limit = CARRY + 1) {
      return [[state.entry.join("--"), ...state.answers].join("/"), ...state.carried.map((c) => c.text)]
        .slice(0, limit).join("~");
    }

    /* This walker's part of the address → {state, notice}; what does not fit is left out, with a notice. */
    read(text) {
      const [first, ...earlier] = text.split("~");
      const [entryId, ...answers] = first.slice(this.id.length + 2).split("/");
      const state = { entry: [this.id, entryId], answers: answers.filter(Boolean), carried: [] };
      const notices = [];
      if (!this.node(state.entry)) {
        state.entry = this.initial().entry;
        state.answers = [];
        notices.push("That link points to a step this playbook no longer has, so the walk starts from the first question.");
      }
      for (const part of earlier.slice(0, CARRY)) {
        const at = part.indexOf("--");
        const [nodeId, ...given] = part.slice(at + 2).split("/");
        const entry = [part.slice(0, at), nodeId];
        const walk = at > 0 && this.node(entry) && this.replay(entry, given.filter(Boolean));
        if (!walk || walk.stale) {
          notices.push("The answers it carried from an earlier walk no longer fit, so they are left out.");
          break;
        }
        state.carried.push({ text: part, entry, walk });
      }
      return { state, notice: notices.join(" ") };
    }

    /* The whole address: this walk, and the walks of the other walkers on the page that were used. */
    address(state) {
      const parts = [];
      widgets.forEach((w) => {
        if (w === this) parts.push(this.text(state));
        else if (w.state && w.root.isConnected && w.text() !== w.text(w.initial())) parts.push(w.text());
      });
      return parts.join("&");
    }

    /* Where earlier walk i (0: the one just before) was left. */
    earlier(i) {
      const carried = this.state.carried;
      return this.data.playbooks[carried[i].entry[0]].href + "#" + carried.slice(i).map((c) => c.text).join("~");
    }

    go(state, focus = true) {
      // pushState, not location.hash: setting the hash makes instant navigation reload the page content
      const hash = "#" + this.address(state);
      if (location.hash !== hash) history.pushState(history.state, "", hash);
      Object.assign(this, { state, notice: "", focusNext: focus });
      this.render();
    }

    /* Back/Forward, or a hash typed or linked: show what the address says (no part: the first question). */
    show(text) {
      const { state, notice } = text ? this.read(text) : { state: this.initial(), notice: "" };
      if (notice || this.notice || this.text(state) !== this.text()) {
        Object.assign(this, { state, notice, changing: null, focusNext: false });
        this.render();
      }
    }

    given() { return this.walk.steps.map((s) => s.answer.id); }

    choose(answerId) {
      const chosen = this.node(this.walk.at).answers.find((a) => a.id === answerId);
      if (chosen && !this.has(chosen.next[0])) { // it leads into a playbook whose file is still on its way
        this.need([chosen.next[0]], true).then(() => { if (this.has(chosen.next[0])) this.choose(answerId); });
        return;
      }
      const answers = [...this.given(), answerId];
      if (this.changing) {
        const { keep } = this.changing;
        let { at } = this.replay(this.state.entry, answers);
        for (let node = this.node(at); node && node.answers && keep.has(at.join("#")); node = this.node(at)) {
          const kept = node.answers.find((a) => a.id === keep.get(at.join("#")));
          if (!kept) break;
          answers.push(kept.id);
          at = kept.next;
        }
        this.changing = null;
      }
      this.go({ ...this.state, answers });
    }

    change(index) {
      const { steps } = this.walk;
      this.changing = { keep: new Map(steps.slice(index + 1).map((s) => [s.at.join("#"), s.answer.id])), old: steps[index].answer.id };
      this.go({ ...this.state, answers: this.given().slice(0, index) });
    }

    ticksKey() { return this.text(this.state, 1); }

    incident() { return incidents() ? incidents().forWalk(this.root.hasAttribute("data-icp-practice")) : null; }

    summary(outcome) {
      const line = (prefix) => (step) => "- " + prefix + this.node(step.at).q + " → " + step.answer.label;
      const lines = [`**${this.title(this.id)}**: ${outcome.title}`, "", outcome.summary, "", "Answers:"];
      for (const c of [...this.state.carried].reverse()) lines.push(...c.walk.steps.map(line("Earlier, in " + this.title(c.entry[0]) + ": ")));
      lines.push(...this.walk.steps.map(line("")), "", "Actions:");
      const incident = this.incident();
      const ticks = ticksOf(incident && incident.id, this.ticksKey());
      outcome.actions.forEach((action, i) => {
        const owner = action.owner ? " (" + this.data.roles[action.owner].name + ")" : "";
        lines.push(`- [${ticks[i] ? "x" : " "}] ${action.text}${owner}`);
      });
      lines.push("", "Link: " + this.link());
      return lines.join("\n");
    }

    link() { return location.href.split("#")[0] + "#" + this.text(); }

    say(text) {
      this.live.textContent = "";
      setTimeout(() => { this.live.textContent = text; }, 30);
    }

    render() {
      const walk = this.walk = this.replay(this.state.entry, this.state.answers);
      const node = this.node(walk.at);
      const question = node.q !== undefined;
      const title = question ? node.q : node.title;
      const where = walk.at[0] === this.id ? "" : ", in “" + this.title(walk.at[0]) + "”";
      const count = "Question " + (walk.steps.length + 1) + where;
      const notices = this.notice ? [this.notice] : [];
      if (walk.stale) {
        notices.push(`This link was made for an older version of the playbook: ${walk.steps.length} of ${
          walk.steps.length + walk.stale} answers still fit, so the walk carries on from here.`);
      }
      const last = this.state.carried[0];
      const heading = h("h3", { class: "icp-step__title", tabindex: "-1" }, title);
      this.view.classList.toggle("icp-walk--outcome", !question);
      this.view.replaceChildren(...[
        notices.length && h("p", { class: "icp-notice", role: "status" }, notices.join(" ")),
        walk.steps.length
          ? h("button", { type: "button", class: "icp-back", onclick: () => this.go({ ...this.state, answers: this.given().slice(0, -1) }) }, "Back")
          : last && h("a", { class: "icp-back", href: this.earlier(0) }, "Back to “" + this.title(last.entry[0]) + "”"),
        question ? this.question(node, heading, walk.steps.length > 0 && count) : this.outcome(node, heading),
        this.answers(walk),
        this.controls(node),
      ].filter(Boolean));
      if (this.focusNext) {
        // focus without the browser's scroll; scroll the walk to the top when its start is under the header
        // or the first thing to tap is below the screen
        heading.focus({ preventScroll: true });
        const first = this.view.querySelector(".icp-choice, .icp-checklist li") || heading;
        if (this.view.getBoundingClientRect().top < 48 || first.getBoundingClientRect().bottom > innerHeight) {
          this.root.scrollIntoView({ block: "start" });
        }
        this.say((question ? count : "What to do now") + ": " + title);
      }
      this.focusNext = false;
    }

    /* "Your answers so far", folded: the earlier walks carried here, then this one's, each with Change. */
    answers(walk) {
      const carried = this.state.carried;
      const line = (step) => [h("span", { class: "icp-given__q" }, this.node(step.at).q), " – ", h("strong", null, step.answer.label)];
      const item = (step, index) => h("li", { value: index + 1 }, line(step), " ",
        h("button", { type: "button", class: "icp-link-btn", onclick: () => this.change(index),
                      "aria-label": "Change answer to: " + this.node(step.at).q }, "Change"));
      let count = walk.steps.length;
      const parts = [];
      for (let i = carried.length - 1; i >= 0; i -= 1) {
        const { entry, walk: before } = carried[i];
        const end = this.node(before.at).title;
        count += before.steps.length;
        parts.push(h("p", { class: "icp-given__where" }, "Earlier, in ", h("a", { href: this.earlier(i) }, this.title(entry[0])), ":"),
          h("ul", null, before.steps.map((s) => h("li", null, line(s))), end && h("li", null, "Result: ", h("strong", null, end))));
      }
      if (carried.length && walk.steps.length) parts.push(h("p", { class: "icp-given__where" }, "Then, here:"));
      // a long walk lists its last answers; the earlier ones are built only when asked for, so a step
      // costs the same at answer 400 as at answer 4
      const hidden = Math.max(0, walk.steps.length - RECENT);
      if (hidden) {
        const earlier = h("ol", null);
        const more = h("details", { class: "icp-given__earlier", ontoggle: () => {
          if (more.open && !earlier.firstChild) earlier.append(...walk.steps.slice(0, hidden).map(item));
        } }, h("summary", null, hidden + " earlier answers"), earlier);
        parts.push(more);
      }
      if (walk.steps.length) parts.push(h("ol", null, walk.steps.slice(hidden).map((step, i) => item(step, hidden + i))));
      // folded, after the step; unfolded on arrival from an earlier walk, to show what came before
      const open = this.open ?? (carried.length > 0 && !walk.steps.length);
      const box = parts.length && h("details", { class: "icp-given", open, ontoggle: () => { if (box.open !== open) this.open = box.open; } },
        h("summary", { class: "icp-given__title" }, "Your answers so far (" + count + ")"), parts);
      return box;
    }

    question(node, heading, count) {
      const old = this.changing && this.changing.old;
      return h("div", { class: "icp-step" },
        count && h("p", { class: "icp-step__count" }, count),
        heading,
        node.hint && h("p", { class: "icp-step__hint" }, h("strong", null, "Why this matters: "), node.hint),
        h("ul", { class: "icp-choices" }, node.answers.map((answer) => h("li", null, h("button", {
          type: "button", class: answer.id === old ? "icp-choice icp-choice--previous" : "icp-choice",
          "data-answer": answer.id, onclick: () => this.choose(answer.id),
        }, answer.label, answer.id === old && h("span", { class: "icp-choice__note" }, " (your previous answer)"))))));
    }

    outcome(node, heading) {
      const key = this.ticksKey();
      const incident = this.incident();
      const into = incident && incident.id;
      if (into) incidents().recordWalk(into, { playbook: this.id, address: "#" + this.text(), outcome: node.title });
      const ticks = ticksOf(into, key);
      const kept = h("p", { class: "icp-kept", role: "status" });
      const keep = (list) => { kept.textContent = (into ? incidents().setTicks(into, key, list) : tab.set(key, list)).problem || ""; };
      const items = node.actions.map((action, i) => {
        const box = h("input", { type: "checkbox", id: (this.root.id || this.id) + "-tick-" + i, onchange: () => {
          const now = ticksOf(into, key).slice();
          now[i] = box.checked;
          keep(now);
        } });
        box.checked = Boolean(ticks[i]);
        const owner = action.owner && this.data.roles[action.owner];
        return h("li", null, h("label", { for: box.id }, box, " ", action.text),
          owner && h("span", { class: "icp-owner" }, "Owner: ", h("a", { href: owner.href }, owner.name)),
          action.templates.length > 0 && h("span", { class: "icp-templates" }, "Templates: ", action.templates.map((tid) => {
            const t = this.data.templates[tid];
            // in a real incident, the template opens in the workspace, filled from the incident's facts
            const href = into && !incident.practice ? new URL("workspace/#template-" + encodeURIComponent(tid), this.base).href : t.href;
            return h("span", { class: "icp-tool" }, h("a", { href }, t.title), " ",
              button("Copy", (event) => copy(event.currentTarget, t.body, "Copy failed: open the template"),
                { "aria-label": "Copy template: " + t.title, class: "icp-link-btn" }), " ",
              h("a", { href: t.download, download: t.file, "aria-label": "Download template: " + t.title }, "Download"));
          })));
      });
      const onward = "~" + this.text(this.state, CARRY); // the walk so far goes along with the link
      const name = incident && (incident.practice ? "the practice incident" : "“" + (incident.facts.incident_name || "unnamed incident") + "”");
      return h("div", { class: "icp-step icp-step--outcome" },
        heading,
        h("p", null, node.summary),
        h("p", { class: "icp-actions__title" }, "What to do now"),
        h("ul", { class: "icp-checklist" }, items),
        h("p", { class: "icp-kept__where" }, into
          ? ["Ticks and this outcome are kept with ", name, ...(incident.practice ? [] : [" in the ", h("a", { href: new URL("workspace/", this.base).href }, "incident workspace")]), "."]
          : "No incident is open, so these ticks stay in this tab until you start again."),
        kept,
        button("Clear ticks", () => {
          keep([]);
          this.view.querySelectorAll(".icp-checklist input").forEach((box) => { box.checked = false; });
          this.say("Ticks cleared");
        }, { class: "icp-link-btn" }),
        node.related.length > 0 && h("div", { class: "icp-related" },
          h("p", { class: "icp-related__title" }, "Continue with"),
          h("ul", null, node.related.map((link) => h("li", null, h("a", { href: this.url(link.href) + onward }, link.label))))));
    }

    controls(node) {
      return h("div", { class: "icp-controls" },
        this.text() !== this.text(this.initial()) && button("Start again", () => {
          this.changing = null;
          tab.forget(this.id + "--"); // outside an incident, a new walk starts with no ticks
          this.go(this.initial());
        }),
        button("Copy link", (event) => copy(event.currentTarget, this.link(), "Copy failed: copy the address bar instead")),
        node.q === undefined && button("Copy summary", (event) => copy(event.currentTarget, this.summary(node))));
    }
  }

  /* Material's "Back to top" floats over the top of the screen: hidden (tree.css) while a walker is in view. */
  const inView = new Set();
  const showTop = () => document.documentElement.classList.toggle("icp-walking", [...inView].some((r) => r.isConnected));
  const spy = new IntersectionObserver((entries) => {
    entries.forEach((e) => inView[e.isIntersecting ? "add" : "delete"](e.target));
    showTop();
  });

  /* Every tree of the page gets its walker, in page order (the address lists them in that order). When the
   * build put the files before this script, they start in this task, before the first paint: nothing moves. */
  function mount() {
    for (const [element] of widgets) if (!element.isConnected) widgets.delete(element);
    const list = walks() || [];
    let scrolled = false;
    document.querySelectorAll(".icp-tree[data-icp-walk]").forEach((root) => {
      if (widgets.has(root)) return;
      const walker = new Walker(root);
      widgets.set(root, walker);
      spy.observe(root);
      const text = mine(list, walker);
      // its own file (on the page already, as a rule), and those of earlier walks the address carries
      const own = file(root, walker.id).then((pb) => walker.adopt(pb));
      Promise.all([own, walker.need(carriedIds(text), true)]).then(() => {
        walker.begin(text);
        if (text && !scrolled) root.scrollIntoView({ block: "start" });
        scrolled = scrolled || Boolean(text);
      }, () => walker.fail());
    });
    showTop();
  }

  /* The address changed (Back/Forward, a link, a typed hash): every walker shows its part of it. An address
   * that names no walker here is a plain anchor, and leaves the walks as they are. */
  function follow() {
    const list = walks();
    const live = [...widgets.values()].filter((w) => w.root.isConnected);
    if (list && (location.hash.length < 2 || live.some((w) => mine(list, w)))) {
      live.forEach((w) => {
        const text = mine(list, w);
        const turn = w.turn = (w.turn || 0) + 1; // only the latest address counts, if files arrive late
        if (w.state) w.need([w.id, ...carriedIds(text)], true).then(() => { if (turn === w.turn) w.show(text); });
      });
    }
  }

  addEventListener("hashchange", follow);
  // store.js came after the walks were drawn: an outcome shows its incident's ticks
  document.addEventListener("icp-store", () => widgets.forEach((w) => { if (w.state && w.root.isConnected) w.render(); }));
  addEventListener("popstate", follow);
  // at once: the script comes after the page's widgets, and drawing them before the first paint moves nothing
  // (waiting for the theme's document$ would draw them after it); then again after each instant navigation
  mount();
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(mount);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
})();
