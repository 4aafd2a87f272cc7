/* Decision-tree walker: turns each static map (.icp-tree) into one question at a time.
 *
 * State lives in the URL hash, built from ids: #<playbook>--<entry-node>/<answer-id>/<answer-id>...
 * Every step is a history entry, so Back/Forward, reload and shared links restore the exact step.
 * Playbook text only ever reaches the page through text nodes, never as HTML.
 */
(() => {
  "use strict";

  const widgets = new Map(); // element -> Walker
  const RECENT = 12; // answers listed in full under "Your answers"

  const { h, copyText } = window.icp; // from common.js

  const store = {
    get(key) { try { return JSON.parse(localStorage.getItem(key) || "null"); } catch { return null; } },
    set(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch { /* private mode */ } },
    drop(key) { try { localStorage.removeItem(key); } catch { /* private mode */ } },
  };

  class Walker {
    constructor(root, data) {
      this.root = root;
      this.data = data;
      this.id = data.root;
      this.state = { entry: [this.id, data.playbooks[this.id].start], answers: [] };
      this.changing = null; // {index, keep: Map(node key -> answer id), old: answer id}
      this.notice = "";
      this.map = root.querySelector(".icp-map");
      this.live = h("p", { class: "icp-offscreen", "aria-live": "polite" });
      this.view = h("div", { class: "icp-walk" });
      root.classList.add("icp-tree--live");
      root.append(this.view, this.live);
    }

    node(key) {
      const pb = this.data.playbooks[key[0]];
      return pb ? pb.nodes[key[1]] : undefined;
    }

    hashOf(state) {
      return `${state.entry[0]}--${state.entry[1]}${state.answers.map((a) => `/${a}`).join("")}`;
    }

    /* Read a hash; null when it is not about this widget's playbook. */
    parse(hash) {
      let text;
      try { text = decodeURIComponent(hash.replace(/^#/, "")); } catch { return null; }
      const prefix = `${this.id}--`;
      if (!text.startsWith(prefix)) return null;
      const [entryId, ...answers] = text.slice(prefix.length).split("/");
      if (!this.node([this.id, entryId])) {
        return { state: { entry: [this.id, this.data.playbooks[this.id].start], answers: [] },
                 notice: "That link points to a step this playbook no longer has, so the walk starts from the first question." };
      }
      return { state: { entry: [this.id, entryId], answers: answers.filter(Boolean) }, notice: "" };
    }

    /* Follow the answers from the entry node as far as they fit the playbook. */
    replay(state) {
      const steps = [];
      let at = state.entry;
      for (const answerId of state.answers) {
        const node = this.node(at);
        const answer = node && node.answers ? node.answers.find((a) => a.id === answerId) : undefined;
        if (!answer) {
          return { steps, at, stale: state.answers.length - steps.length };
        }
        steps.push({ at, answer });
        at = answer.next;
      }
      return { steps, at, stale: 0 };
    }

    go(state, focus = true) {
      // pushState, not location.hash: setting the hash makes instant navigation reload the page content
      const hash = `#${this.hashOf(state)}`;
      if (location.hash !== hash) history.pushState(history.state, "", hash);
      this.state = state;
      this.notice = "";
      this.focusNext = focus;
      this.render();
    }

    /* Back/Forward, or a hash typed or linked: show what the address says. */
    onHash() {
      const parsed = this.parse(location.hash);
      if (!parsed) return; // another widget's walk, or a plain anchor: keep this one as it is
      this.changing = null;
      this.state = parsed.state;
      this.notice = parsed.notice;
      this.focusNext = false;
      this.render();
    }

    choose(answerId) {
      const answers = [...this.state.answers, answerId];
      if (this.changing) {
        const { keep } = this.changing;
        let { at } = this.replay({ entry: this.state.entry, answers });
        for (let node = this.node(at); node && node.answers && keep.has(at.join("#")); node = this.node(at)) {
          const kept = node.answers.find((a) => a.id === keep.get(at.join("#")));
          if (!kept) break;
          answers.push(kept.id);
          at = kept.next;
        }
        this.changing = null;
      }
      this.go({ entry: this.state.entry, answers });
    }

    change(index) {
      const { steps } = this.replay(this.state);
      const keep = new Map(steps.slice(index + 1).map((s) => [s.at.join("#"), s.answer.id]));
      this.changing = { index, keep, old: steps[index].answer.id };
      this.go({ entry: this.state.entry, answers: this.state.answers.slice(0, index) });
    }

    ticksKey() { return `icp-ticks:${this.hashOf(this.state)}`; }

    summary(walk, outcome) {
      const title = this.data.playbooks[this.id].title;
      const lines = [`**${title}**: ${outcome.title}`, "", outcome.summary, "", "Answers:"];
      for (const step of walk.steps) lines.push(`- ${this.node(step.at).q} → ${step.answer.label}`);
      lines.push("", "Actions:");
      const ticks = store.get(this.ticksKey()) || [];
      outcome.actions.forEach((action, i) => {
        const owner = action.owner ? ` (${this.data.roles[action.owner].name})` : "";
        lines.push(`- [${ticks[i] ? "x" : " "}] ${action.text}${owner}`);
      });
      lines.push("", `Link: ${location.href}`);
      return lines.join("\n");
    }

    say(text) {
      this.live.textContent = "";
      window.setTimeout(() => { this.live.textContent = text; }, 30);
    }

    button(label, onclick, extra = {}) {
      return h("button", { type: "button", class: "md-button icp-btn", onclick, ...extra }, label);
    }

    render() {
      const walk = this.replay(this.state);
      const node = this.node(walk.at);
      const title = node.q !== undefined ? node.q : node.title;
      const stepNo = walk.steps.length + 1;
      const notices = [];
      if (this.notice) notices.push(this.notice);
      if (walk.stale) {
        notices.push(`This link was made for an older version of the playbook: ${walk.steps.length} of ${
          walk.steps.length + walk.stale} answers still fit, so the walk carries on from here.`);
      }
      const heading = h("h3", { class: "icp-step__title", tabindex: "-1" }, title);
      const parts = [];
      if (notices.length) parts.push(h("p", { class: "icp-notice", role: "status" }, notices.join(" ")));
      if (walk.steps.length) parts.push(this.renderAnswers(walk));
      const step = node.q !== undefined ? this.renderQuestion(node, heading, stepNo) : this.renderOutcome(node, heading, walk);
      parts.push(step, this.renderControls(walk, node));
      this.view.replaceChildren(...parts);
      const where = walk.at[0] === this.id ? "" : ` (${this.data.playbooks[walk.at[0]].title})`;
      if (this.focusNext) {
        // focus without the browser's scroll (it forces layout); scroll only when the step is out of view
        heading.focus({ preventScroll: true });
        const box = heading.getBoundingClientRect();
        if (box.top < 0 || box.bottom > window.innerHeight) this.root.scrollIntoView({ block: "start" });
        this.say(node.q !== undefined ? `Step ${stepNo}${where}: ${title}` : `Outcome: ${title}`);
      }
      this.focusNext = false;
    }

    renderAnswers(walk) {
      // a long walk lists its last answers; the earlier ones are built only when asked for, so a step
      // costs the same at answer 400 as at answer 4
      const item = (step, index) => h("li", { value: index + 1 },
        h("span", { class: "icp-given__q" }, this.node(step.at).q), " ",
        h("strong", null, step.answer.label), " ",
        h("button", { type: "button", class: "icp-link-btn", onclick: () => this.change(index),
                      "aria-label": `Change answer to: ${this.node(step.at).q}` }, "Change"));
      const hidden = Math.max(0, walk.steps.length - RECENT);
      const parts = [h("p", { class: "icp-given__title" }, "Your answers")];
      if (hidden) {
        const earlier = h("ol", null);
        const more = h("details", { class: "icp-given__earlier", ontoggle: () => {
          if (more.open && !earlier.firstChild) earlier.append(...walk.steps.slice(0, hidden).map(item));
        } }, h("summary", null, `${hidden} earlier answer${hidden === 1 ? "" : "s"}`), earlier);
        parts.push(more);
      }
      parts.push(h("ol", null, walk.steps.slice(hidden).map((step, i) => item(step, hidden + i))));
      return h("div", { class: "icp-given" }, parts);
    }

    renderQuestion(node, heading, stepNo) {
      const old = this.changing ? this.changing.old : null;
      const answers = node.answers.map((answer) => {
        const previous = answer.id === old;
        return h("li", null, h("button", {
          type: "button", class: `icp-choice${previous ? " icp-choice--previous" : ""}`,
          "data-answer": answer.id, onclick: () => this.choose(answer.id),
        }, answer.label, previous ? h("span", { class: "icp-choice__note" }, " (your previous answer)") : null));
      });
      return h("div", { class: "icp-step" },
        h("p", { class: "icp-step__count" }, `Step ${stepNo}`),
        heading,
        node.hint ? h("p", { class: "icp-step__hint" }, h("strong", null, "Why this matters: "), node.hint) : null,
        h("ul", { class: "icp-choices" }, answers));
    }

    renderOutcome(node, heading, walk) {
      const key = this.ticksKey();
      const ticks = store.get(key) || [];
      const items = node.actions.map((action, i) => {
        const box = h("input", { type: "checkbox", id: `${this.root.id || this.id}-tick-${i}`,
          onchange: (event) => {
            const now = store.get(key) || [];
            now[i] = event.target.checked;
            store.set(key, now);
          } });
        box.checked = Boolean(ticks[i]);
        const owner = action.owner ? this.data.roles[action.owner] : null;
        const templates = action.templates.map((tid) => {
          const t = this.data.templates[tid];
          return h("span", { class: "icp-tool" }, h("a", { href: t.href }, t.title), " ",
            this.button("Copy", () => copyText(t.body).then(() => this.say(`Copied: ${t.title}`),
              () => this.say("Copying failed: open the template and copy it from there")),
              { "aria-label": `Copy template: ${t.title}`, class: "icp-link-btn" }), " ",
            h("a", { href: t.download, download: t.file, "aria-label": `Download template: ${t.title}` }, "Download"));
        });
        return h("li", null, h("label", { for: box.id }, box, " ", action.text),
          owner ? h("span", { class: "icp-owner" }, "Owner: ", h("a", { href: owner.href }, owner.name)) : null,
          templates.length ? h("span", { class: "icp-templates" }, "Templates: ", templates) : null);
      });
      const related = node.related.length ? h("div", { class: "icp-related" },
        h("p", { class: "icp-related__title" }, "Continue with"),
        h("ul", null, node.related.map((link) => h("li", null, h("a", { href: link.href }, link.label))))) : null;
      return h("div", { class: "icp-step icp-step--outcome" },
        h("p", { class: "icp-step__count" }, `Outcome after ${walk.steps.length} answer${walk.steps.length === 1 ? "" : "s"}`),
        heading,
        h("p", null, node.summary),
        h("p", { class: "icp-actions__title" }, "What to do now"),
        h("ul", { class: "icp-checklist" }, items),
        this.button("Clear ticks", () => {
          store.drop(key);
          this.view.querySelectorAll(".icp-checklist input").forEach((box) => { box.checked = false; });
          this.say("Ticks cleared");
        }, { class: "icp-link-btn" }),
        related);
    }

    renderControls(walk, node) {
      const controls = [];
      if (walk.steps.length) {
        controls.push(this.button("Back", () => this.go({ entry: this.state.entry, answers: this.state.answers.slice(0, walk.steps.length - 1) })));
        controls.push(this.button("Start again", () => {
          this.changing = null;
          this.go({ entry: [this.id, this.data.playbooks[this.id].start], answers: [] });
        }));
      }
      controls.push(this.button("Copy link", () => copyText(location.href.split("#")[0] + `#${this.hashOf(this.state)}`)
        .then(() => this.say("Link copied"), () => this.say("Copying failed: copy the address bar instead"))));
      if (node.q === undefined) {
        controls.push(this.button("Copy summary", () => copyText(this.summary(walk, node))
          .then(() => this.say("Summary copied"), () => this.say("Copying failed"))));
      }
      return h("div", { class: "icp-controls" }, controls);
    }
  }

  function mount() {
    for (const [element] of widgets) if (!element.isConnected) widgets.delete(element);
    document.querySelectorAll(".icp-tree[data-icp-walk]").forEach((root) => {
      if (widgets.has(root)) return;
      let data;
      try { data = JSON.parse(root.getAttribute("data-icp-walk")); } catch { return; }
      const walker = new Walker(root, data);
      widgets.set(root, walker);
      walker.focusNext = false;
      if (!walker.parse(location.hash)) {
        walker.render();
      } else {
        walker.onHash();
        root.scrollIntoView({ block: "start" });
      }
    });
  }

  const follow = () => widgets.forEach((walker) => { if (walker.root.isConnected) walker.onHash(); });
  window.addEventListener("hashchange", follow);
  window.addEventListener("popstate", follow);
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(mount);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
