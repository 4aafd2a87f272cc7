/* The incident bar: on every page while an incident is open in the workspace, its name and the status-page
 * countdown, with a link back. Loaded by site.js only then; reads the store, never writes it.
 * (No template literal inside another's ${…}: the minifier, rjsmin, does not parse them.) */
(() => {
  "use strict";

  const KEY = "icp-workspace"; // store.js
  const here = document.currentScript ? document.currentScript.src : "";
  const MINUTE = 60 * 1000;
  const TIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::[0-5][0-9])?Z$/;
  let bar = null;

  const open = () => {
    try {
      const data = JSON.parse(localStorage.getItem(KEY));
      const incident = data && data.incidents && data.incidents[data.active];
      return incident && !incident.practice && !incident.closed_at && data.clock ? { incident, clock: data.clock } : null;
    } catch { return null; }
  };
  const span = (ms) => {
    const minutes = Math.floor(Math.abs(ms) / MINUTE);
    return (minutes >= 60 ? Math.floor(minutes / 60) + " h " : "") + (minutes % 60) + " min";
  };

  function draw() {
    const now = open();
    const onWorkspace = document.querySelector(".icp-workspace");
    if (!now || onWorkspace) {
      if (bar) { bar.remove(); bar = null; document.body.classList.remove("icp-with-bar"); }
      return;
    }
    const { incident, clock } = now;
    let last = null;
    for (const text of incident.status_updates || []) {
      const m = TIME.exec(text);
      const at = m && Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]); // to the minute, as fill.js reads it
      if (at && (!last || at > last)) last = at;
    }
    const due = last && last + clock.every_hours * 3600 * 1000;
    const left = due && due - Date.now();
    const text = !due ? "Status page: no update recorded"
      : left < 0 ? "Status page update OVERDUE by " + span(left)
        : "Status page due in " + span(left) + " (" + new Date(due).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", timeZoneName: "short" }) + ")";
    if (!bar) {
      bar = document.createElement("aside");
      bar.className = "icp-bar";
      bar.setAttribute("aria-label", "Open incident");
      document.body.append(bar);
      document.body.classList.add("icp-with-bar");
    }
    const name = document.createElement("strong");
    name.textContent = incident.facts.incident_name || "Unnamed incident";
    const due_ = document.createElement("span");
    due_.className = left < 0 ? "icp-bar__due--overdue" : "icp-bar__due";
    due_.textContent = text;
    const link = document.createElement("a");
    link.href = new URL("../../workspace/", here).href;
    link.textContent = "Open workspace";
    bar.replaceChildren(name, due_, link);
  }

  if (here && !document.querySelector("link[href$='assets/icp/bar.css']")) {
    const sheet = document.createElement("link");
    sheet.rel = "stylesheet";
    sheet.href = new URL("bar.css", here).href;
    document.head.append(sheet);
  }
  draw();
  setInterval(draw, 30 * 1000);
  addEventListener("storage", (event) => { if (event.key === KEY || event.key === null) draw(); });
  document.addEventListener("visibilitychange", () => { if (!document.hidden) draw(); });
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(draw);
  window.icpBar = { draw };
})();
