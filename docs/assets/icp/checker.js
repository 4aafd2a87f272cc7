/* The draft checker's editor: a text field whose findings (drafts.js, the same rules as `python -m macros
 * draft-check`) are marked in the text and listed under it, each with what to write instead. The list is made of
 * buttons: Enter on one selects its text in the field. Checked as it is typed; what was found is announced
 * politely, once typing pauses. Used by the checker's page (below) and by each template's draft in the incident
 * workspace (workspace.js). Nothing typed here is sent anywhere.
 * The field's own text is transparent: what is seen is a copy of it laid out the same way behind it (the
 * backdrop), where the words a rule found are marked.
 * (No template literal inside another's ${…}: the minifier, rjsmin, does not parse them.) */
(() => {
  "use strict";
  const icp = window.icp;
  const { h } = icp;
  const AT_ONCE = 20000; // characters: a draft up to this long is checked at every key
  const PAUSE_MS = 250; // a longer one once typing pauses this long
  const SAID_MS = 1200; // what was found is said once typing pauses this long
  const SENTENCE_KINDS = new Set(["first-sentence", "sentence-length"]); // their findings are whole sentences
  const KEPT = "icp-draft-check"; // the checker page's draft, kept in this tab only (sessionStorage)
  let made = 0;

  const where = (f) => (f.length ? "Line " + f.line + ", column " + f.col : "The whole draft");

  /* The editor in `host`. options: {data (drafts.as_data), scope {audience, state, security, breaks}, text, label,
   * hint, id (of the field, kept across redraws), readOnly, onInput(text), onCheck(findings)}.
   * Returns {field, set(text), value(), setScope(scope)}. */
  function attach(host, options) {
    const base = options.id || "icp-check-" + (made += 1);
    const kinds = new Map(options.data.rules.map((rule) => [rule.id, rule.kind]));
    let scope = options.scope;
    let found = [];
    let timer = 0;
    let sayTimer = 0;
    let said = "";
    const field = h("textarea", { class: "icp-check__text", id: options.id || base + "-text", rows: 6, spellcheck: "true",
      readonly: options.readOnly,
      autocomplete: "off", "aria-describedby": base + "-count" + (options.hint ? " " + base + "-hint" : "") });
    const backdrop = h("div", { class: "icp-check__backdrop", "aria-hidden": "true" });
    const count = h("p", { class: "icp-check__count", id: base + "-count" });
    const live = h("p", { class: "icp-offscreen", "aria-live": "polite" });
    const list = h("ol", { class: "icp-check__findings", "aria-label": "Findings" });
    host.replaceChildren(
      h("label", { class: "icp-check__label", for: field.id }, options.label || "Your draft"),
      options.hint ? h("p", { class: "icp-check__hint", id: base + "-hint" }, options.hint) : null,
      h("div", { class: "icp-check__field" }, backdrop, field),
      count, list, live);
    field.value = options.text || "";

    /* The field grows with its text (no scrolling inside it), so the marks behind it stay under their words: by
     * CSS where the browser can (field-sizing), else here, again whenever its box changes (a <details> around it
     * opened, the window turned). */
    const sized = window.CSS && CSS.supports && CSS.supports("field-sizing", "content");
    const fit = () => {
      if (sized || !field.isConnected || !field.offsetWidth) return;
      field.style.height = "auto";
      field.style.height = field.scrollHeight + 2 + "px";
    };
    if (!sized && window.ResizeObserver) new ResizeObserver(fit).observe(host);

    function draw() {
      const text = field.value;
      try {
        found = icp.drafts.check(text, options.data, scope);
      } catch (error) {
        found = [];
        backdrop.replaceChildren(text, "\u200b");
        list.replaceChildren();
        count.textContent = "The checker could not read this draft (" + (error && error.message) + ").";
        return;
      }
      // the marks: the text again, behind the field, cut where a finding starts or ends; a piece that findings
      // cover is a <mark>, of words (a phrase: tinted) or of a whole sentence (underlined), or both
      const spans = found.map((f, i) => [f, i]).filter(([f]) => f.to > f.from).sort((x, y) => x[0].from - y[0].from);
      const cuts = [...new Set([0, text.length, ...spans.flatMap(([f]) => [f.from, f.to])])].sort((a, b) => a - b);
      const parts = [];
      let open = [];
      let next = 0;
      for (let k = 0; k + 1 < cuts.length; k += 1) {
        const [a, b] = [cuts[k], cuts[k + 1]];
        while (next < spans.length && spans[next][0].from <= a) open.push(spans[next++]);
        open = open.filter(([f]) => f.to > a);
        if (!open.length) { parts.push(text.slice(a, b)); continue; }
        const whole = open.filter(([f]) => SENTENCE_KINDS.has(kinds.get(f.rule))).length;
        parts.push(h("mark", { class: (whole ? "icp-mark--sentence " : "") + (whole < open.length ? "icp-mark--words" : ""),
          "data-icp-findings": open.map(([, i]) => i).join(" ") }, text.slice(a, b)));
      }
      parts.push("\u200b"); // a last empty line keeps its height
      backdrop.replaceChildren(...parts);
      const marked = found.filter((f) => f.length).length;
      count.textContent = found.length
        ? found.length + (found.length === 1 ? " thing" : " things") + " to look at" + (marked && marked < found.length ? " (" + marked + " marked in the text)" : "") + "."
        : text.trim() ? "Nothing found: the rules find no problem in this draft." : "Nothing to check yet.";
      list.replaceChildren(...found.map((f, i) => {
        const why = scope.breaks && Object.hasOwn(scope.breaks, f.rule) ? scope.breaks[f.rule] : null;
        return h("li", { class: "icp-check__finding" },
          h("button", { type: "button", class: "icp-check__go", onclick: () => show(i) },
            h("span", { class: "icp-check__where" }, where(f)), " ",
            h("span", { class: "icp-check__rule" }, f.rule), " ",
            h("span", { class: "icp-check__message" }, f.message)),
          h("p", { class: "icp-check__suggestion" }, "Instead: ", f.suggestion),
          why ? h("p", { class: "icp-check__known" }, "This template breaks this rule on purpose: ", why) : null);
      }));
      fit();
      if (options.onCheck) options.onCheck(found);
      clearTimeout(sayTimer);
      sayTimer = setTimeout(() => {
        const now = count.textContent;
        if (now !== said) { said = now; live.textContent = now; }
      }, SAID_MS);
    }

    /* A finding's words selected in the field, and in view. */
    function show(i) {
      const f = found[i];
      if (!f) return;
      field.focus({ preventScroll: true });
      field.setSelectionRange(f.from, f.to);
      const mark = backdrop.querySelector('mark[data-icp-findings~="' + i + '"]') || field;
      mark.scrollIntoView({ block: "center" });
    }

    /* The text shown is the backdrop's (the field's own is transparent over it), so it follows every key at
     * once: checked then and there while the draft is short, else shown plain and checked once typing pauses. */
    field.addEventListener("input", () => {
      if (options.onInput) options.onInput(field.value);
      clearTimeout(timer);
      if (field.value.length <= AT_ONCE) { draw(); return; }
      backdrop.replaceChildren(field.value, "\u200b");
      fit();
      timer = setTimeout(draw, PAUSE_MS);
    });
    draw();
    said = count.textContent; // what the page shows at first is not news
    return {
      field,
      set(text) { field.value = text; draw(); },
      value: () => field.value,
      setScope(next) { scope = next; draw(); },
    };
  }

  /* The checker's page: a draft of one of the templates (its scope, and its example to start from), or of another
   * message with the scope chosen by hand. The draft stays in this tab across reloads. "Check a draft of it" on a
   * template links here with ?of=<id>: that template is chosen, and its example becomes the draft unless one's own
   * is there; a link to a template this site does not have says so. */
  function mountPage(root) {
    const data = JSON.parse(root.getAttribute("data-icp-drafts"));
    const templates = new Map(data.templates.map((t) => [t.id, t]));
    const choice = (id, values) => h("select", { id }, values.map(([value, text]) => h("option", { value }, text)));
    const what = choice("draft-check-of", [["", "Another message"], ...data.templates.map((t) => [t.id, t.title])]);
    const audience = choice("draft-check-audience", [["customer", "Customers"], ["status-page", "The status page"], ["internal", "Our own people"]]);
    const state = choice("draft-check-state", [["ongoing", "Still going on"], ["resolved", "Resolved"]]);
    const security = h("input", { type: "checkbox", id: "draft-check-security" });
    const example = h("button", { type: "button", class: "md-button" }, "Start from the template's example");
    const copyButton = h("button", { type: "button", class: "md-button" }, "Copy the draft");
    const status = h("span", { class: "icp-copied", role: "status" });
    const said = h("p", { class: "icp-notice", role: "status", hidden: true });
    const host = h("div", { class: "icp-check" });
    const row = (label, control) => h("p", { class: "icp-check__choice" }, h("label", { for: control.id }, label), " ", control);
    root.replaceChildren(
      h("div", { class: "icp-check__scope", role: "group", "aria-label": "What the draft is" },
        row("A draft of", what), row("Read by", audience), row("The incident is", state),
        h("p", { class: "icp-check__choice" }, security, " ", h("label", { for: security.id }, "It is about a security incident"))),
      h("div", { class: "icp-check__controls" }, example, copyButton, status), said, host);
    const scope = () => ({ audience: audience.value, state: state.value, security: security.checked,
      breaks: (templates.get(what.value) || {}).breaks || {} });
    const keep = () => { // the choices and the text; the template's breaks come from the page, never from storage
      const { audience: a, state: s, security: x } = scope();
      try { sessionStorage.setItem(KEPT, JSON.stringify({ of: what.value, audience: a, state: s, security: x, text: editor.value() })); } catch { /* storage off */ }
    };
    const editor = attach(host, { data, scope: scope(), label: "Your draft", onInput: keep,
      hint: "Paste or write a message: it is checked as you type, here in this browser." });
    const changed = () => { example.disabled = !templates.has(what.value); editor.setScope(scope()); keep(); };
    const pick = (id) => {
      const t = templates.get(id);
      what.value = t ? id : "";
      if (t) { audience.value = t.audience; state.value = t.state; security.checked = t.security; }
      changed();
    };
    what.addEventListener("change", () => pick(what.value));
    [audience, state, security].forEach((c) => c.addEventListener("change", changed));
    // the example replaces the draft as typing would, so the browser's Undo brings the draft back
    example.addEventListener("click", () => {
      const t = templates.get(what.value);
      editor.field.focus();
      editor.field.select();
      if (!document.execCommand("insertText", false, t.example)) { editor.set(t.example); keep(); }
      editor.field.setSelectionRange(0, 0);
      status.textContent = "The example replaced the draft: Undo (Ctrl+Z) brings it back.";
    });
    copyButton.addEventListener("click", () => icp.copy(copyButton, editor.value(), "Copy failed: select the text instead"));
    let kept = {};
    try { kept = JSON.parse(sessionStorage.getItem(KEPT)) || {}; } catch { /* none kept */ }
    if (templates.has(kept.of)) what.value = kept.of;
    [[audience, kept.audience], [state, kept.state]].forEach(([control, value]) => {
      if ([...control.options].some((o) => o.value === value)) control.value = value;
    });
    security.checked = kept.security === true;
    if (typeof kept.text === "string") editor.set(kept.text);
    changed();
    const id = new URLSearchParams(location.search).get("of");
    if (id === null) return;
    history.replaceState(history.state, "", location.pathname + location.hash);
    const t = templates.get(id);
    said.hidden = false;
    if (!t) { said.textContent = "The link asks for a template this site does not have (" + id.slice(0, 80) + "): choose what the draft is above."; return; }
    const own = editor.value().trim() && ![...templates.values()].some((x) => x.example === editor.value());
    pick(id);
    if (own) said.textContent = "Your draft is kept, now checked as “" + t.title + "”: “Start from the template's example” replaces it.";
    else { said.hidden = true; editor.set(t.example); keep(); }
    icp.whenShown(() => editor.field.focus({ preventScroll: true }));
  }

  icp.checker = { attach };

  function mount() {
    document.querySelectorAll(".icp-checker[data-icp-drafts]:not([data-mounted])").forEach((root) => {
      root.setAttribute("data-mounted", "");
      try { mountPage(root); } catch (error) {
        root.prepend(h("p", { class: "icp-notice" }, "The checker could not start: use python -m macros draft-check."));
        throw error;
      }
    });
  }

  mount();
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(mount);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
})();
