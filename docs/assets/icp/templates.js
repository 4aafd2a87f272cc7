/* The templates page: a link to a template (#template-<id>, shared, kept, or from a playbook page) opens its card
 * and brings its top into view under the theme's header, on load and whenever only the fragment changes, once the
 * browser and the theme have done their own scrolling (which, on a busy machine, can leave it far from the card).
 * (No template literal inside another's ${…}: the minifier, rjsmin, does not parse them.) */
(() => {
  "use strict";
  const reveal = () => {
    let target = null;
    try { target = document.getElementById(decodeURIComponent(location.hash.slice(1))); } catch { /* not an id */ }
    const box = target && target.closest("details");
    if (!box) return;
    box.open = true;
    const place = () => {
      const header = document.querySelector(".md-header");
      const below = header ? header.getBoundingClientRect().bottom : 0;
      const top = box.getBoundingClientRect().top;
      if (top < below || top > innerHeight - 80) scrollTo(scrollX, scrollY + top - below - 8);
    };
    requestAnimationFrame(() => requestAnimationFrame(place));
    setTimeout(place, 300);
  };
  addEventListener("hashchange", reveal);
  if (document.readyState === "complete") reveal(); else addEventListener("load", reveal, { once: true });
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(reveal);
})();
