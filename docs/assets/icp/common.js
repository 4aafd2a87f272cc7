/* Shared by the widget scripts (walker.js, plan.js, code.js) and the template copy buttons: the element builder,
 * copy, and a visible "Copied" beside every copy control. Loaded before them, only by the pages that use one
 * (site.js loads it on instant navigation).
 * (No template literal inside another's ${…}: the minifier, rjsmin, does not parse them.) */
(() => {
  "use strict";

  /* Text only ever becomes text nodes. */
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "class") node.className = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) node.append(child);
    }
    return node;
  }

  /* "Copied" (or what failed) beside a copy control for a few seconds, seen and announced: in the status
   * element (class icp-copied) that the page put right after the control, else in one made there. Set a
   * moment later, so that a second copy is announced again. */
  function copied(control, ok, failed) {
    let status = control.nextElementSibling;
    if (!status || !status.matches(".icp-copied")) control.after(status = h("span", { class: "icp-copied", role: "status" }));
    clearTimeout(status.icpTimer);
    status.textContent = "";
    status.hidden = false;
    status.classList.toggle("icp-copied--failed", !ok);
    setTimeout(() => { status.textContent = ok ? "Copied" : failed || "Copy failed"; }, 30);
    status.icpTimer = setTimeout(() => { status.textContent = ""; }, 5000);
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    const area = h("textarea", { class: "icp-offscreen", "aria-hidden": "true" });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  const copy = (control, text, failed) =>
    copyText(text).then(() => copied(control, true), () => copied(control, false, failed));

  /* Run fn once the page is in sight: a page brought by instant navigation is kept out of sight (site.js) until its
   * stylesheet is in, and the browser does not move the focus into what is out of sight. */
  const whenShown = (fn) => {
    const root = document.documentElement;
    if (!root.classList.contains("icp-styling")) { fn(); return; }
    const watch = new MutationObserver(() => {
      if (!root.classList.contains("icp-styling")) { watch.disconnect(); fn(); }
    });
    watch.observe(root, { attributes: true, attributeFilter: ["class"] });
  };

  window.icp = Object.assign(window.icp || {}, { h, copy, copied, whenShown });

  /* Copy buttons a page draws hidden, as they need this script: data-icp-copy is the selector, within the
   * button's .icp-template, of the element whose text they copy. */
  const wireCopyButtons = () => {
    document.querySelectorAll("button[data-icp-copy][hidden]").forEach((control) => {
      control.hidden = false;
      control.addEventListener("click", () => {
        const source = (control.closest(".icp-template") || document).querySelector(control.dataset.icpCopy);
        if (source) copy(control, (source.querySelector("code") || source).textContent);
        else copied(control, false);
      });
    });
  };
  wireCopyButtons();
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(wireCopyButtons);
})();
