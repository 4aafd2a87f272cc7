/* Shared helpers for walker.js and plan.js, and a fix to the theme's markup: Material gives every code
 * block an unnamed <nav> for its copy button; several unnamed navigation landmarks on one page confuse
 * screen readers, so they get names. */
(() => {
  "use strict";

  /* Shared by walker.js and plan.js (loaded after this file). Text only ever becomes text nodes. */
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

  window.icp = { h, copyText };

  const nameCodeNavs = () => {
    document.querySelectorAll("nav.md-code__nav:not([aria-label])").forEach((nav) => {
      const block = nav.closest("[id]");
      nav.setAttribute("aria-label", `Code block actions${block ? ` (${block.id.replace(/^__code_/, "")})` : ""}`);
    });
  };
  const run = () => { nameCodeNavs(); window.setTimeout(nameCodeNavs, 0); };
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(run);
  else document.addEventListener("DOMContentLoaded", run);
})();
