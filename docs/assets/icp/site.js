/* On every page (the one script all pages load): loads the widget scripts a page brought by instant navigation
 * needs, and keeps its content out of sight until its stylesheet is in.
 * (No template literal inside another's ${…}: the minifier, rjsmin, does not parse them.) */
(() => {
  "use strict";

  /* A page loads only the widget styles and scripts it uses (data-icp-style, data-icp-script): the build leaves
   * the others out, and links the page's styles as one stylesheet. Instant navigation swaps in the new page's
   * stylesheet (the theme replaces the head's links), but not its scripts: add each script named by the new
   * content that is not here yet, from beside this file, in the order named. Scripts mount on arrival. */
  const here = document.currentScript ? document.currentScript.src : "";
  const wanted = (attribute) => [...document.querySelectorAll("[" + attribute + "]")]
    .flatMap((e) => e.getAttribute(attribute).split(" ")).filter((name) => /^[a-z]+$/.test(name));
  /* The theme scrolls to the address's target before a swapped-in stylesheet is in: the content stays out of
   * sight until it is (unstyled, it would be seen jumping), then the target is brought into view again. */
  const awaitStyles = () => {
    const loading = [...document.querySelectorAll("link[data-icp-styles]")].filter((l) => !l.sheet)
      .map((l) => new Promise((done) => { l.addEventListener("load", done); l.addEventListener("error", done); }));
    if (!loading.length) return;
    const root = document.documentElement;
    root.classList.add("icp-styling");
    // a stylesheet whose load or error went by before this ran must not keep the page out of sight
    const patience = new Promise((done) => { setTimeout(done, 2000); });
    Promise.race([Promise.all(loading), patience]).then(() => {
      root.classList.remove("icp-styling");
      let target = null;
      try { target = location.hash.length > 1 && document.getElementById(decodeURIComponent(location.hash.slice(1))); } catch { /* not an id */ }
      if (!target) return;
      // as the theme does for a link into a folded part: unfold it, then bring the target into view
      for (let fold = target.closest("details"); fold; fold = fold.parentElement.closest("details")) fold.open = true;
      target.scrollIntoView();
    });
  };
  /* By file name: a script's src reads against the address as it is now, which instant navigation changes. */
  const loaded = (name) => [...document.scripts].some((s) => new RegExp("/assets/icp/" + name + "\\.js(\\?|$)").test(s.src));
  const add = (name) => {
    if (!loaded(name)) document.body.append(Object.assign(document.createElement("script"), { src: new URL(name + ".js", here).href, async: false }));
  };
  const loadWidgets = () => {
    if (!here) return;
    awaitStyles();
    loadBar();
    // each element names every script it needs, those it depends on first (code common walker)
    new Set(wanted("data-icp-script")).forEach(add);
  };
  /* While an incident is open in the workspace (store.js), every page shows the incident bar (bar.js). */
  const incidentOpen = () => {
    try {
      const data = JSON.parse(localStorage.getItem("icp-workspace"));
      const incident = data && data.incidents && data.incidents[data.active];
      return Boolean(incident && !incident.practice && !incident.closed_at);
    } catch { return false; }
  };
  /* ...and a walker records into it (store.js), as a practice walk records into the practice incident: the
   * store comes only to pages that need it, after their walks are drawn (walker.js draws its ticks again). */
  const loadBar = () => {
    if (!here) return;
    const open = incidentOpen();
    const names = open ? ["store", "bar"] : document.querySelector("[data-icp-practice]") ? ["store"] : [];
    names.forEach(add);
  };
  const run = () => {
    // once the page's own script tags are all in (a first load may still be parsing them)
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", loadWidgets, { once: true });
    else loadWidgets();
  };
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(run);
  else document.addEventListener("DOMContentLoaded", run);
})();
