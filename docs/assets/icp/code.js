/* Code blocks, on the pages that have them: a visible "Copied" beside the theme's copy buttons, keyboard access
 * to code blocks that scroll, and names for the theme's code-block <nav>s: Material gives every code block an unnamed one for its copy button, and several
 * unnamed navigation landmarks on one page confuse screen readers.
 * (No template literal inside another's ${…}: the minifier, rjsmin, does not parse them.) */
(() => {
  "use strict";

  const { copied } = window.icp; // from common.js, loaded before this file

  /* Material's own copy buttons (code blocks) copy with clipboard.js, which fires one `copy` event while it
   * handles the click: none by the end of the click means nothing was copied. */
  let pending = null;
  document.addEventListener("click", (event) => {
    const control = event.target.closest("[data-clipboard-target], [data-clipboard-text]");
    if (!control) return;
    pending = control;
    setTimeout(() => { if (pending) copied(pending, false); pending = null; });
  }, true);
  document.addEventListener("copy", () => {
    if (pending) copied(pending, true);
    pending = null;
  });

  const nameCodeNavs = () => {
    document.querySelectorAll("nav.md-code__nav:not([aria-label])").forEach((nav) => {
      const block = nav.closest("[id]");
      nav.setAttribute("aria-label", "Code block actions" + (block ? " (" + block.id.replace(/^__code_/, "") + ")" : ""));
    });
  };
  /* A code block wider than the page scrolls sideways: a keyboard must reach it to scroll it too. Material
   * makes such blocks focusable, but not on touch screens (a tablet with a keyboard is one). */
  const focusableCode = () => {
    document.querySelectorAll(".md-typeset pre > code:not([tabindex])").forEach((code) => {
      if (code.scrollWidth > code.clientWidth) code.tabIndex = 0;
    });
  };
  const run = () => {
    nameCodeNavs();
    setTimeout(() => { nameCodeNavs(); focusableCode(); }, 0);
  };
  run();
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(run);
})();
