/* Site-wide fixes to the theme's markup. Material gives every code block an unnamed <nav> for its
 * copy button; several unnamed navigation landmarks on one page confuse screen readers, so name them. */
(() => {
  "use strict";
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
