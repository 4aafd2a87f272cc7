/* The incidents kept in this browser (localStorage, key "icp-workspace"), for the workspace, the walker and the
 * incident bar. Nothing here is ever sent anywhere.
 *
 * Stored: {version, incidents: {id: incident}, active: id or null, clock: {every_hours, warn_minutes}}, each
 * incident as the "incident" of an export file (docs/reference/incident.schema.json). Every change reads the
 * store afresh, changes it and writes it back whole, so two tabs never undo each other; the other tabs hear of
 * it through the storage event. A store this version cannot read (corrupt, or from a newer version) is never
 * written over: the workspace says so and offers to download it.
 * (No template literal inside another's ${…}: the minifier, rjsmin, does not parse them.) */
(() => {
  "use strict";

  const KEY = "icp-workspace";
  const VERSION = 1;
  const PRACTICE = "practice";
  const LEGACY_TICKS = "icp-ticks:";
  /* Each migration takes the store of its version to the next. Version 0 was no store at all: ticks per answer
   * path in localStorage ("icp-ticks:<walk>"), shared by every incident and practice; they belong to none, so
   * they are dropped rather than given to the next incident. */
  const MIGRATIONS = {
    0: (data) => {
      try {
        Object.keys(localStorage).filter((key) => key.startsWith(LEGACY_TICKS)).forEach((key) => localStorage.removeItem(key));
      } catch { /* storage off */ }
      return { ...data, version: 1 };
    },
  };

  const empty = () => ({ version: VERSION, incidents: {}, active: null, clock: null });
  const now = () => new Date().toISOString().replace(/\.[0-9]+Z$/, "Z");

  /* {data, problem}: problem is null, or {kind: "off" | "corrupt" | "newer", raw} (the workspace says what
   * each means). */
  function read() {
    let raw;
    try { raw = localStorage.getItem(KEY); } catch {
      return { data: empty(), problem: { kind: "off" } };
    }
    let data;
    if (raw === null) data = { version: 0 };
    else {
      try { data = JSON.parse(raw); } catch { data = null; }
      const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
      const wellFormed = (i) => isObject(i) && typeof i.id === "string" && isObject(i.facts) && isObject(i.rows)
        && Array.isArray(i.status_updates) && Array.isArray(i.walks) && isObject(i.ticks);
      if (isObject(data) && Number.isInteger(data.version) && data.version > VERSION) return { data: empty(), problem: { kind: "newer", raw } };
      const fine = isObject(data) && Number.isInteger(data.version) && data.version >= 0
        && (data.version === 0 || (isObject(data.incidents) && Object.values(data.incidents).every(wellFormed)));
      if (!fine) return { data: empty(), problem: { kind: "corrupt", raw } };
    }
    while (data.version < VERSION) data = MIGRATIONS[data.version](data);
    data = { ...empty(), ...data };
    for (const incident of Object.values(data.incidents)) incident.rows = { products: [], messages: [], ...incident.rows };
    if (!Object.hasOwn(data.incidents, data.active)) data.active = null;
    return { data, problem: null };
  }

  /* null when written, else what went wrong (the change is then not kept). */
  function write(data) {
    try {
      localStorage.setItem(KEY, JSON.stringify(data));
      return null;
    } catch (error) {
      const full = error && (error.name === "QuotaExceededError" || error.code === 22 || error.code === 1014);
      return (full ? "This browser's storage for the site is full" : "This browser did not keep it (" + (error && error.name) + ")")
        + ": the last change was NOT kept. Download the incident (workspace, Handover), then delete incidents you no longer need.";
    }
  }

  /* Change the store: fn(data) changes data in place. {ok, problem}. */
  function change(fn) {
    const { data, problem } = read();
    if (problem) return { ok: false, problem: "The incidents kept in this browser cannot be changed: the workspace says why." };
    fn(data);
    const failed = write(data);
    return { ok: !failed, problem: failed };
  }

  const listeners = new Set();
  addEventListener("storage", (event) => {
    if (event.key === KEY || event.key === null) listeners.forEach((listener) => listener());
  });
  const onChange = (listener) => listeners.add(listener);

  const blank = (id, practice) => ({
    id, practice, opened_at: now(), closed_at: null, facts: {}, rows: { products: [], messages: [] },
    status_updates: [], walks: [], ticks: {}, drafts: {},
  });

  /* The incident a walk records into: the practice incident on the practice page, else the active open real
   * incident; null when there is none (the walker then keeps its ticks in the tab, until Start again). */
  function forWalk(practice) {
    const { data, problem } = read();
    if (problem) return null;
    if (practice) return data.incidents[PRACTICE] || blank(PRACTICE, true);
    const incident = data.incidents[data.active];
    return incident && !incident.practice && !incident.closed_at ? incident : null;
  }

  /* The ticks of one walk (the answers that led to an outcome) in an incident. */
  function ticks(incidentId, walk) {
    const incident = read().data.incidents[incidentId];
    const kept = incident && incident.ticks[walk];
    return Array.isArray(kept) ? kept : [];
  }

  function setTicks(incidentId, walk, list) {
    return change((data) => {
      const incident = data.incidents[incidentId] || (incidentId === PRACTICE ? (data.incidents[PRACTICE] = blank(PRACTICE, true)) : null);
      if (!incident || incident.closed_at) return;
      if (list.some(Boolean)) incident.ticks[walk] = list.map(Boolean);
      else delete incident.ticks[walk];
    });
  }

  /* An outcome reached in an incident goes in its record of walks (once per address). */
  function recordWalk(incidentId, walk) {
    const known = read().data.incidents[incidentId];
    if (known && known.walks.some((w) => w.address === walk.address)) return { ok: true, problem: null };
    return change((data) => {
      const incident = data.incidents[incidentId] || (incidentId === PRACTICE ? (data.incidents[PRACTICE] = blank(PRACTICE, true)) : null);
      if (!incident || incident.closed_at) return;
      incident.walks = incident.walks.filter((w) => w.address !== walk.address);
      incident.walks.push({ ...walk, at: now() });
      if (incident.walks.length > 500) incident.walks.splice(0, incident.walks.length - 500);
    });
  }

  window.icp = Object.assign(window.icp || {}, {
    store: { KEY, VERSION, PRACTICE, read, write, change, onChange, blank, now, forWalk, ticks, setTicks, recordWalk },
  });
  // a walker drawn before this script came (site.js loads it where an incident is open) draws its ticks again
  document.dispatchEvent(new Event("icp-store"));
})();
