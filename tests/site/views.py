"""Every page of the built site, looked at in every view (phone and desktop width, light and dark scheme), the
way a reviewer looks at it: text contrast measured from the colours the browser rendered (SVG text included,
which axe-core skips), no text under 12 px, no sideways scrolling, no layout shift after load, axe-core clean.

Used by test_every_view_{light,dark}_{phone,laptop}.py (one file per view, so ``--dist loadfile`` spreads them
over the workers): each page is loaded once per view and every check reads that one load. A screenshot of
each page and view is kept under ``.artefacts/views/<page>/<width>-<scheme>.png`` (``home`` is the home page), with
what the checks read beside it (``.json``), and the light desktop load also prints the page to ``print.pdf`` there.

Layout shift is the sum of the ``layout-shift`` entries from the start of the document (``buffered: true``), read
at least SHIFT_WAIT_MS after the load event: what a reader sees move while the page comes up, Material's and the
project's scripts included. Shifts after recent input would not count, but the test sends no input at all before
it reads them, and Chromium under Playwright's mobile emulation (``is_mobile``, the 390-px view) flags every shift
``hadRecentInput`` regardless (0.207 on the plan generator, flagged at 390 px with is_mobile, not without it): so
every entry counts, and the report says which ones carried the flag.

SVG text size is its computed font-size times the scale the picture is drawn at (``getScreenCTM``), not the
height of its box: that box is about 1.2 times the font size, so 11 px text has a 12-px box and would pass.

What counts as text: every non-blank text node whose element is rendered (not ``display: none``,
``visibility: hidden``, ``opacity: 0``, closed ``<details>``, zero-sized, clipped to a pixel like ``.icp-offscreen``,
inside an ``overflow: hidden`` box it lies outside of, or off the left/right edge of the page like Material's
closed drawer at phone width), plus the placeholder of visible inputs. Material's own chrome (header, navigation,
search box, footer) is measured like the project's markup: a reader sees it too, so a failure there is a failure
of the site, fixed with CSS in docs/assets/icp/common.css. Each reported item says whether it is in the page
content (``.md-content``) or in Material's chrome.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / ".artefacts" / "views"
SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme → Material's data-md-color-scheme
WIDTHS = {  # width → new_context() options: a phone and a laptop
    390: {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 1},
    1366: {"viewport": {"width": 1366, "height": 900}},
}
MIN_FONT_PX = 12
MIN_CONTRAST, MIN_CONTRAST_LARGE = 4.5, 3.0  # WCAG 1.4.3; large: >= 24 px, or >= 18.66 px and bold
MAX_LAYOUT_SHIFT = 0.02
SHIFT_WAIT_MS = 400  # shifts are summed no sooner than this after the load event (the checks take most of it)
PRINT_WIDTH, PRINT_SCHEME = 1366, "light"  # the view whose load also makes the print PDF
SHOWN = 6  # worst offenders listed per page and check
# Every rule axe-core runs by default. Its color-contrast rule is about 60% of axe's time here (some 25 s of a
# worker's time per scheme); the contrast check above measures the same texts and SVG text and placeholders too.
# Adding "rules": {"color-contrast": {"enabled": False}} would save that time, and lose axe's own overlap analysis.
AXE_OPTIONS = {"resultTypes": ["violations"]}
# Material's search builds its index in a worker on every page load (about 0.1 s of CPU a view here); no view opens
# the search, so each gets the site's index without its documents (empty_search_index). test_search.py tests search.
SEARCH_INDEX = "search/search_index.json"

# Collects layout shifts from the very start of each document (buffered: true keeps those before it ran, too).
CLS_INIT = """
(() => {
  window.__icpShifts = [];
  const describe = n => {
    if (!n || n.nodeType !== 1) return n ? n.nodeName : '?';
    return n.tagName.toLowerCase() + (n.id ? '#' + n.id : '') +
      (typeof n.className === 'string' && n.className.trim() ? '.' + n.className.trim().split(/\\s+/).join('.') : '');
  };
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) window.__icpShifts.push({value: e.value, input: e.hadRecentInput,
        at: Math.round(e.startTime), sources: (e.sources || []).map(s => describe(s.node))});
    }).observe({type: 'layout-shift', buffered: true});
  } catch (e) { window.__icpShifts = null; }
})();
"""

SETTLE = """async () => {
  await document.fonts.ready;
  const finite = a => a.playState === 'running' && a.timeline === document.timeline &&
    Number.isFinite(a.effect && a.effect.getComputedTiming().endTime);
  for (let i = 0; i < 40 && document.getAnimations().some(finite); i++) await new Promise(r => setTimeout(r, 50));
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
}"""

# One pass over the page: contrast and size of every visible text, and what overflows. Returns plain data.
MEASURE = r"""
({minFont, minRatio, minRatioLarge, width, everything}) => {
  // the screen's width: a phone browser widens its layout (innerWidth) to fit content wider than the screen
  const W = width || window.innerWidth, SY = window.scrollY;
  const styles = new Map();
  const style = el => { let s = styles.get(el); if (!s) { s = getComputedStyle(el); styles.set(el, s); } return s; };
  const canvas = document.createElement('canvas'); canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const parsed = new Map();
  // a CSS colour → [r, g, b, a] (0-255, alpha 0-1); the canvas converts what is not rgb()/rgba()
  const parse = c => {
    if (parsed.has(c)) return parsed.get(c);
    let v, m = /^rgba?\(([^)]*)\)$/.exec(c);
    if (m) { const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(parseFloat);
             v = [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; }
    else if (!c || c === 'transparent' || c === 'none') v = [0, 0, 0, 0];
    else { ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = '#000'; ctx.fillStyle = c; ctx.fillRect(0, 0, 1, 1);
           const d = ctx.getImageData(0, 0, 1, 1).data; v = [d[0], d[1], d[2], d[3] / 255]; }
    parsed.set(c, v); return v;
  };
  const pm = (c, alpha = 1) => { const a = c[3] * alpha; return [c[0] / 255 * a, c[1] / 255 * a, c[2] / 255 * a, a]; };
  const over = (top, below) => top.map((t, i) => t + below[i] * (1 - top[3]));
  const scale = (c, o) => c.map(x => x * o);
  const WHITE = [1, 1, 1, 1];
  const hex = c => '#' + c.slice(0, 3).map(x => Math.round(Math.min(1, Math.max(0, x)) * 255)
    .toString(16).padStart(2, '0')).join('');
  const lum = c => { const f = x => x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
                     return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };

  const describe = el => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 4; e = e.parentElement) {
      let s = e.tagName.toLowerCase();
      if (e.id) { parts.unshift(s + '#' + CSS.escape(e.id)); break; }
      const cls = typeof e.className === 'string' ? e.className : (e.getAttribute('class') || '');
      if (cls.trim()) s += '.' + cls.trim().split(/\s+/).slice(0, 2).map(c => CSS.escape(c)).join('.');
      else if (e.parentElement) {
        const same = [...e.parentElement.children].filter(c => c.tagName === e.tagName);
        if (same.length > 1) s += `:nth-of-type(${same.indexOf(e) + 1})`;
      }
      parts.unshift(s);
    }
    return parts.join(' > ');
  };
  const where = el => el.closest('.md-content') ? 'content' : 'material';
  const visible = el => el.checkVisibility({opacityProperty: true, visibilityProperty: true,
                                            checkOpacity: true, checkVisibilityCSS: true});
  // clipped away: inside a box of a pixel or less that hides its overflow (.icp-offscreen, .sr-only), clipped by
  // clip/clip-path, or lying wholly outside a box that hides its overflow
  const clippedAway = (el, rect) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const s = style(e);
      if (s.clip && s.clip !== 'auto' &&
          /rect\(\s*0(px)?[\s,]+0(px)?[\s,]+0(px)?[\s,]+0(px)?\s*\)/.test(s.clip)) return true;
      if (s.clipPath && /inset\(\s*50%/.test(s.clipPath)) return true;
      if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
        if (e.clientWidth <= 1 || e.clientHeight <= 1) return true;
        const hides = ['hidden', 'clip'];
        if (hides.includes(s.overflowX) || hides.includes(s.overflowY)) {
          const b = e.getBoundingClientRect();
          if ((hides.includes(s.overflowX) && (rect.right <= b.left + 1 || rect.left >= b.right - 1)) ||
              (hides.includes(s.overflowY) && (rect.bottom <= b.top + 1 || rect.top >= b.bottom - 1))) return true;
        }
      }
    }
    return false;
  };
  // what the element's content is painted on: its own and its ancestors' backgrounds, with their opacity
  const composite = (start, fg) => {   // fg and back are premultiplied RGBA of the content of `start`
    let back = [0, 0, 0, 0], image = null;
    for (let e = start; e; e = e.parentElement) {
      const s = style(e);
      if (s.backgroundImage && s.backgroundImage !== 'none' && !image) image = describe(e);
      const bg = pm(parse(s.backgroundColor));
      back = over(back, bg); fg = over(fg, bg);
      const o = parseFloat(s.opacity);
      if (o < 1) { back = scale(back, o); fg = scale(fg, o); }
    }
    return {fg: over(fg, WHITE), bg: over(back, WHITE), image};
  };
  const opacityUpTo = (el, stop) => { let o = 1; for (let e = el; e && e !== stop; e = e.parentElement)
    o *= parseFloat(style(e).opacity); return o; };

  const out = {scheme: document.body.getAttribute('data-md-color-scheme'), measured: 0, overImage: [],
               contrast: [], small: [], overflow: [], svgText: 0, all: []};  // all: with `everything`, every text
  const large = (px, weight) => px >= 24 || (px >= 18.66 && weight >= 700);
  const record = (el, text, fgc, bgc, px, weight, kind, extra = {}) => {
    out.measured++;
    const r = ratio(fgc, bgc), need = large(px, weight) ? minRatioLarge : minRatio;
    if (everything) out.all.push({selector: describe(el), text, fg: hex(fgc), bg: hex(bgc),
                                  ratio: Math.round(r * 100) / 100, px, kind, ...extra});
    if (r < need - 1e-9) out.contrast.push({selector: describe(el), text, fg: hex(fgc), bg: hex(bgc),
      ratio: Math.round(r * 100) / 100, need, px: Math.round(px * 10) / 10, weight, kind, where: where(el), ...extra});
  };

  // ---- SVG: the shape painted under a point of a <text>, in the same <svg>, before it in document order
  const SHAPES = 'rect, circle, ellipse, path, polygon, polyline, image, foreignObject';
  const svgs = new Map();  // <svg> → {order: element → index, shapes: [painted shapes, in document order]}
  const shapesOf = svg => {
    let known = svgs.get(svg);
    if (known) return known;
    const order = new Map([...svg.querySelectorAll('*')].map((e, i) => [e, i]));
    const shapes = [];
    for (const sh of svg.querySelectorAll(SHAPES)) {
      if (sh.closest('defs, marker, clipPath, mask, pattern, symbol') || !visible(sh)) continue;
      const image = sh.tagName === 'image' || sh.tagName === 'foreignObject';
      if (!image && style(sh).fill === 'none') continue;
      const ctm = sh.getScreenCTM(); if (!ctm) continue;
      shapes.push({sh, image, inv: ctm.inverse(), box: sh.getBoundingClientRect(), at: order.get(sh)});
    }
    known = {order, shapes}; svgs.set(svg, known); return known;
  };
  // the topmost shape painted under the point (x, y) of a <text>: in the same <svg>, before it in document order
  const shapeUnder = (text, svg, x, y) => {
    const {order, shapes} = shapesOf(svg), at = order.get(text);
    for (let i = shapes.length - 1; i >= 0; i--) {
      const {sh, image, inv, box} = shapes[i];
      if (shapes[i].at > at || x < box.left || x > box.right || y < box.top || y > box.bottom) continue;
      if (image) return sh;
      if (sh.isPointInFill(new DOMPoint(x, y).matrixTransform(inv))) return sh;
    }
    return null;
  };

  // off the page but reachable: in a box on the page that scrolls sideways (a wide flow picture at phone width)
  const inScroller = el => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const s = style(e);
      if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && e.scrollWidth > e.clientWidth + 1) {
        const b = e.getBoundingClientRect();
        return b.right > 0 && b.left < W && b.width > 1;
      }
    }
    return false;
  };

  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim()) continue;
    const el = node.parentElement;
    if (!el || seen.has(el) || el.closest('script, style, noscript, template, title, desc, defs')) continue;
    seen.add(el);
    if (!visible(el)) continue;
    const s = style(el);
    const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join('').trim().replace(/\s+/g, ' ')
      .slice(0, 60);
    const isSvg = el instanceof SVGElement;
    let rect;
    if (isSvg) {
      const t = el.closest('text'); if (!t) continue;
      rect = t.getBoundingClientRect();
    } else {
      range.selectNodeContents(node);
      const rects = [...range.getClientRects()].filter(r => r.width > 0.5 && r.height > 0.5);
      if (!rects.length) continue;
      rect = rects.reduce((a, b) => ({left: Math.min(a.left, b.left), right: Math.max(a.right, b.right),
                                       top: Math.min(a.top, b.top), bottom: Math.max(a.bottom, b.bottom)}));
    }
    if (rect.right - rect.left <= 0.5 || rect.bottom - rect.top <= 0.5) continue;
    if ((rect.right <= 0 || rect.left >= W || rect.bottom + SY <= 0) && !inScroller(el)) continue;  // a closed drawer
    if (clippedAway(el, rect)) continue;
    const weight = parseFloat(s.fontWeight) || 400;
    if (isSvg) {
      out.svgText++;
      const t = el.closest('text'), svg = t.ownerSVGElement;
      const m = t.getScreenCTM();
      const px = parseFloat(s.fontSize) * (m ? Math.hypot(m.c, m.d) : 1);
      const height = rect.bottom - rect.top;
      if (px < minFont - 1e-6) out.small.push({selector: describe(el), text, px: Math.round(px * 10) / 10,
        box: Math.round(height * 10) / 10, kind: 'svg', where: where(el)});
      const fill = parse(s.fill), fo = parseFloat(s.fillOpacity);
      const fg0 = pm(fill, (isNaN(fo) ? 1 : fo) * opacityUpTo(el, svg));
      // the text's box at mid-height: left, middle and right; the worst of the three counts
      const cy = (rect.top + rect.bottom) / 2, w = rect.right - rect.left;
      let worst = null;
      for (const cx of [rect.left + w * 0.1, rect.left + w / 2, rect.right - w * 0.1]) {
        const sh = shapeUnder(t, svg, cx, cy);
        if (sh && (sh.tagName === 'image' || sh.tagName === 'foreignObject')) { worst = {image: describe(sh)}; break; }
        let back = [0, 0, 0, 0];
        if (sh) { const ss = style(sh), sfo = parseFloat(ss.fillOpacity);
                  back = pm(parse(ss.fill), (isNaN(sfo) ? 1 : sfo) * opacityUpTo(sh, svg)); }
        const c = composite(svg, over(fg0, back));   // the text's pixels
        const cb = composite(svg, back).fg;          // the shape's (or the page's) pixels next to them
        if (c.image) { worst = {image: c.image}; break; }
        const r = ratio(c.fg, cb);
        if (!worst || r < worst.r) worst = {r, fg: c.fg, bg: cb, shape: sh ? describe(sh) : 'none'};
      }
      if (worst.image) { out.overImage.push(describe(el)); continue; }
      record(el, text, worst.fg, worst.bg, px, weight, 'svg', {shape: worst.shape});
    } else {
      const px = parseFloat(s.fontSize);
      if (px < minFont - 1e-6) out.small.push({selector: describe(el), text, px, kind: 'html', where: where(el)});
      const fill = s.webkitTextFillColor || s.color;
      const c = composite(el, pm(parse(fill)));
      if (c.image) { out.overImage.push(describe(el)); continue; }
      record(el, text, c.fg, c.bg, px, weight, 'html');
    }
  }
  // placeholders of visible, empty inputs (Material's search box)
  for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (el.value || !visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || r.right <= 0 || r.left >= W || clippedAway(el, r)) continue;
    const ps = getComputedStyle(el, '::placeholder');
    const px = parseFloat(ps.fontSize), weight = parseFloat(ps.fontWeight) || 400;
    if (px < minFont - 1e-6) out.small.push({selector: describe(el) + '::placeholder', text: el.placeholder, px,
                                            kind: 'placeholder', where: where(el)});
    const c = composite(el, pm(parse(ps.webkitTextFillColor || ps.color)));
    if (c.image) { out.overImage.push(describe(el)); continue; }
    record(el, el.placeholder, c.fg, c.bg, px, weight, 'placeholder', {selector: describe(el) + '::placeholder'});
  }
  out.contrast.forEach(c => { if (c.kind === 'placeholder') c.selector = c.selector.endsWith('::placeholder') ?
    c.selector : c.selector + '::placeholder'; });

  // ---- sideways: the page, then every box whose content is wider than it is
  const de = document.documentElement;
  out.scrollWidth = de.scrollWidth; out.innerWidth = window.innerWidth; out.screenWidth = W;
  const native = 'a[href], button, input, select, textarea, summary, [contenteditable=""], [contenteditable="true"]';
  const focusable = e => e.hasAttribute('tabindex') ? parseInt(e.getAttribute('tabindex'), 10) >= 0 : e.matches(native);
  for (const e of document.body.querySelectorAll('*')) {
    if (e instanceof SVGElement && !(e instanceof SVGSVGElement)) continue;
    const s = style(e);
    if (s.display === 'none' || s.display === 'contents') continue;
    if (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0) {
      // hidden on purpose (not visible, or visually hidden for screen readers only, like .icp-offscreen)
      if (!visible(e) || clippedAway(e, e.getBoundingClientRect())) continue;
      if (s.overflowX === 'auto' || s.overflowX === 'scroll') {
        if (!focusable(e)) out.overflow.push({selector: describe(e), where: where(e), what:
          `scrolls sideways (${e.scrollWidth}px in ${e.clientWidth}px) but is not focusable: ` +
          'keyboard users cannot scroll it (add tabindex="0")'});
      } else if ((s.overflowX === 'hidden' || s.overflowX === 'clip') && e.closest('.md-content') &&
                 s.textOverflow !== 'ellipsis') {
        out.overflow.push({selector: describe(e), where: where(e), what:
          `cuts off its content (${e.scrollWidth}px in ${e.clientWidth}px, overflow-x: ${s.overflowX}): ` +
          'part of it cannot be seen'});
      }
    }
    // a box that sticks out of the page on the right (or left) with no scrolling or clipping box around it
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.height > 0 && ((r.right > W + 1 && r.left < W) || (r.left < -1 && r.right > 0)) &&
        s.position !== 'fixed' && visible(e)) {
      let contained = false;
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
        if (style(a).overflowX !== 'visible' || style(a).position === 'fixed') { contained = true; break; }
      if (!contained) out.overflow.push({selector: describe(e), where: where(e), what:
        `sticks out of the ${W}px screen (left ${Math.round(r.left)}, right ${Math.round(r.right)}, ` +
        `width ${Math.round(r.width)})`});
    }
  }
  // the same short selector and finding twice (rows of one table): list it once
  const keep = [], sels = new Set();
  for (const o of out.overflow) {
    const key = o.selector + o.what;
    if (!sels.has(key)) { sels.add(key); keep.push(o); }
  }
  out.overflow = keep;
  return out;
}
"""


def empty_search_index(site: Path) -> str:
    index = json.loads((site / SEARCH_INDEX).read_text(encoding="utf-8"))
    return json.dumps({**index, "docs": []})


def measure_args(width: int) -> dict:
    return {"minFont": MIN_FONT_PX, "minRatio": MIN_CONTRAST, "minRatioLarge": MIN_CONTRAST_LARGE, "width": width}


def page_paths(site: Path) -> list[str]:
    """Every page of the built site: each index.html, as its path below the root ('' for the home page)."""
    paths = []
    for file in sorted(site.rglob("index.html")):
        rel = file.parent.relative_to(site).as_posix()
        paths.append("" if rel == "." else f"{rel}/")
    assert len(paths) > 10, f"only {len(paths)} pages found in {site}"
    return paths


def page_name(path: str) -> str:
    return path.rstrip("/") or "home"


@dataclass
class View:
    """One page in one view, loaded once; every check reads it."""

    path: str
    width: int
    scheme: str
    applied_scheme: str | None = None
    load_problems: str = ""
    measure: dict = field(default_factory=dict)
    shifts: list[dict] | None = None
    load_ms: int = 0  # the load event, in ms from the start of the navigation (as the shifts' times)
    violations: list[dict] = field(default_factory=list)
    screenshot: Path | None = None
    printed: Path | None = None  # the print PDF, kept for the light scheme at desktop width
    error: str = ""  # the view could not be looked at (the page crashed, a timeout): every check fails with it
    seconds: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)  # seconds each step of the look took

    @property
    def name(self) -> str:
        return f"{page_name(self.path)} ({self.width} {self.scheme})"

    @property
    def shift_total(self) -> float:
        """Every shift counts: no input is sent before they are read (see the module's docstring)."""
        return sum(s["value"] for s in self.shifts or [])


def full_page_png(page, cdp, target: Path, width: int) -> None:
    """A screenshot of the whole page, as Playwright's ``full_page`` takes it, but with Chromium's faster PNG
    encoder (``optimizeForSpeed``: less compression; 2-3 times quicker here, files about 30% larger)."""
    height = page.evaluate("Math.ceil(document.documentElement.scrollHeight)")
    shot = cdp.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "optimizeForSpeed": True,
                                               "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
    target.write_bytes(base64.b64decode(shot["data"]))


def look(page, cdp, recorder, base: str, path: str, width: int, scheme: str, axe, *, pdf: bool = False,
         tag: str = "") -> View:
    """Load one page in the context's view, let it settle, run every check on that load, keep a screenshot (and,
    with ``pdf``, the page as printed: Chromium prints with the print style sheet, on A4)."""
    started = time.monotonic()
    view = View(path, width, scheme)

    def step(name: str) -> None:
        now = time.monotonic()
        view.steps[name] = round(now - step.last, 3)
        step.last = now

    step.last = started
    try:
        page.goto(base + path, wait_until="load")
        step("load")
        loaded = time.monotonic()
        recorder.settle(page)
        page.evaluate(SETTLE)
        step("settle")
        view.applied_scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        view.load_problems = recorder.report()
        recorder.clear()
        view.measure = page.evaluate(MEASURE, measure_args(width))
        step("measure")
        view.violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
        step("axe")
        # read after the checks above (they only read the page), before the screenshot (it resizes the view)
        left = SHIFT_WAIT_MS / 1000 - (time.monotonic() - loaded)
        if left > 0:
            page.wait_for_timeout(left * 1000)
        view.shifts = page.evaluate("window.__icpShifts")
        view.load_ms = page.evaluate("Math.round(performance.getEntriesByType('navigation')[0].loadEventStart)")
        step("shifts")
        target = ARTEFACTS / page_name(path.split("#")[0]) / f"{width}-{scheme}{tag}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        full_page_png(page, cdp, target, width)
        view.screenshot = target
        target.with_suffix(".json").write_text(json.dumps(  # what the checks read, to look into a failure
            {"measure": view.measure, "shifts": view.shifts, "load_ms": view.load_ms, "axe": view.violations,
             "load_problems": view.load_problems}, indent=1) + "\n", encoding="utf-8")
        step("screenshot")
        if pdf:
            printed = target.with_name("print.pdf")
            page.emulate_media(media="print")
            page.pdf(path=str(printed), format="A4", print_background=True)
            page.emulate_media(media="screen")
            view.printed = printed
            step("pdf")
    except Exception as exc:  # one broken view must not hide the others: every check reports it
        view.error = f"{type(exc).__name__}: {exc}".splitlines()[0]
    view.seconds = time.monotonic() - started
    return view


class ViewChecks:
    """The checks of one view: a scheme (``SCHEME``) at a width (``WIDTH``); a subclass per view makes a test file,
    so that ``--dist loadfile`` spreads the four views over the workers."""

    SCHEME = "light"
    WIDTH = 390
    PATHS: tuple[str, ...] = ()  # the pages to look at (default: every page of the site)
    INIT = ""  # a script each page runs before its own (e.g. an incident already kept in the browser)
    TAG = ""  # added to the screenshots' names, beside those of the plain views

    @pytest.fixture
    def width(self) -> int:
        return self.WIDTH

    @pytest.fixture(scope="class")
    @classmethod
    def views(cls, built_site: Path, site_server: str, new_watched_context):
        """Width → the views of every page at that width in this scheme (looked at on first use)."""
        from axe_playwright_python.sync_playwright import Axe

        paths, scheme, axe, contexts = list(cls.PATHS) or page_paths(built_site), cls.SCHEME, Axe(), []
        pdf_width = PRINT_WIDTH if scheme == PRINT_SCHEME and not cls.PATHS else None
        search_index = empty_search_index(built_site)

        class Lazy(dict):
            def __missing__(self, width: int) -> list[View]:
                context, recorder = new_watched_context(color_scheme=scheme, **WIDTHS[width])
                contexts.append(context)
                context.add_init_script(CLS_INIT)
                if cls.INIT:
                    context.add_init_script(cls.INIT)
                context.route(f"**/{SEARCH_INDEX}", lambda route: route.fulfill(
                    body=search_index, content_type="application/json"))
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                self[width] = [look(page, cdp, recorder, site_server, path, width, scheme, axe,
                                    pdf=width == pdf_width, tag=cls.TAG) for path in paths]
                page.close()
                return self[width]

        lazy = Lazy()
        yield lazy
        for context in contexts:
            context.close()
        timings = {f"{v.width} {page_name(v.path)}": {"total": round(v.seconds, 2), **v.steps}
                   for views in lazy.values() for v in views}
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        seconds = ARTEFACTS / f"seconds-{cls.WIDTH}-{scheme}{cls.TAG}.json"
        seconds.write_text(json.dumps(timings, indent=1) + "\n", encoding="utf-8")

    @staticmethod
    def _fail(check: str, width: int, scheme: str, views: list[View], found: dict[str, list[str]]) -> None:
        broken = {v.name: [f"could not be looked at: {v.error}"] for v in views if v.error}
        found = {**broken, **{k: v for k, v in found.items() if v and k not in broken}}
        if found:
            lines = [f"{check} at {width} px, {scheme} scheme: {len(found)} of {len(views)} pages fail"]
            for name, items in found.items():
                lines.append(f"- {name}:")
                lines += [f"    {item}" for item in items]
            pytest.fail("\n".join(lines), pytrace=False)

    def test_material_applied_the_scheme(self, views, width: int) -> None:
        found = {v.name: [f"body[data-md-color-scheme] is {v.applied_scheme!r}, not {SCHEMES[self.SCHEME]!r}"]
                 for v in views[width] if not v.error and v.applied_scheme != SCHEMES[self.SCHEME]}
        self._fail("colour scheme", width, self.SCHEME, views[width], found)

    def test_page_loads_cleanly(self, views, width: int) -> None:
        found = {v.name: v.load_problems.splitlines() for v in views[width] if v.load_problems}
        self._fail("clean load", width, self.SCHEME, views[width], found)

    def test_text_contrast(self, views, width: int) -> None:
        """Every visible text, HTML and SVG, at least 4.5:1 (3:1 when large) on what it is rendered on."""
        found = {}
        for v in views[width]:
            bad = sorted(v.measure.get("contrast", []), key=lambda c: c["ratio"] / c["need"])
            found[v.name] = [
                f"{c['ratio']:.2f}:1 < {c['need']}:1  [{c['where']}, {c['kind']}, {c['px']} px/{c['weight']:g}] "
                f"{c['selector']} {c['text']!r}: {c['fg']} on {c['bg']}"
                + (f" (shape under it: {c['shape']})" if c.get("shape") else "")
                for c in bad[:SHOWN]] + ([f"… and {len(bad) - SHOWN} more"] if len(bad) > SHOWN else [])
        self._fail("text contrast", width, self.SCHEME, views[width], found)

    def test_no_text_below_12px(self, views, width: int) -> None:
        """Computed font-size for HTML text (and placeholders); for SVG text, font-size times the picture's scale
        (its box height is given too: about 1.2 times the font size)."""
        found = {}
        for v in views[width]:
            small = sorted(v.measure.get("small", []), key=lambda s: s["px"])
            found[v.name] = [
                f"{s['px']} px [{s['where']}, {s['kind']}] {s['selector']} {s['text']!r}"
                + (f" (box {s['box']} px high)" if "box" in s else "")
                for s in small[:SHOWN]] + ([f"… and {len(small) - SHOWN} more"] if len(small) > SHOWN else [])
        self._fail("text size", width, self.SCHEME, views[width], found)

    def test_nothing_scrolls_sideways_but_focusable_regions(self, views, width: int) -> None:
        found = {}
        for v in views[width]:
            m = v.measure
            if not m:
                continue
            items = []
            if m["scrollWidth"] > m["screenWidth"] + 1 or m["innerWidth"] > m["screenWidth"] + 1:
                items.append(f"the page scrolls sideways: {m['scrollWidth']}px wide on a {m['screenWidth']}px screen"
                             f" (window.innerWidth {m['innerWidth']})")
            items += [f"[{o['where']}] {o['selector']}: {o['what']}" for o in m["overflow"][:SHOWN]]
            if len(m["overflow"]) > SHOWN:
                items.append(f"… and {len(m['overflow']) - SHOWN} more")
            found[v.name] = items
        self._fail("sideways overflow", width, self.SCHEME, views[width], found)

    def test_layout_does_not_shift_after_load(self, views, width: int) -> None:
        found = {}
        for v in views[width]:
            if v.shifts is None and not v.error:
                found[v.name] = ["no layout-shift entries could be observed (PerformanceObserver failed)"]
            elif v.shift_total >= MAX_LAYOUT_SHIFT:
                worst = sorted(v.shifts, key=lambda s: -s["value"])[:3]
                found[v.name] = [f"cumulative layout shift {v.shift_total:.3f} >= {MAX_LAYOUT_SHIFT} "
                                 f"(load event at {v.load_ms} ms)"] + [
                    f"{s['value']:.3f} at {s['at']} ms{' (flagged hadRecentInput; no input was sent)' * s['input']}"
                    f": moved {', '.join(s['sources'][:4]) or '?'}" for s in worst]
        self._fail("layout shift", width, self.SCHEME, views[width], found)

    def test_axe_finds_no_violations(self, views, width: int) -> None:
        found = {}
        for v in views[width]:
            items = []
            for violation in v.violations:
                targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
                items.append(f"{violation['id']} ({violation['impact']}): {violation['help']}: {len(targets)} nodes: "
                             + "; ".join(targets[:SHOWN]) + (" …" if len(targets) > SHOWN else ""))
            found[v.name] = items
        self._fail("axe-core", width, self.SCHEME, views[width], found)

    def test_screenshot_of_every_view_kept(self, views, width: int) -> None:
        found = {v.name: ["no screenshot"] for v in views[width] if not v.error and not
                 (v.screenshot and v.screenshot.is_file())}
        self._fail("screenshots", width, self.SCHEME, views[width], found)
        if self.SCHEME == PRINT_SCHEME and width == PRINT_WIDTH and not self.PATHS:
            found = {v.name: ["no print PDF"] for v in views[width] if not v.error and not
                     (v.printed and v.printed.is_file() and v.printed.stat().st_size > 1000)}
            self._fail("print PDF", width, self.SCHEME, views[width], found)
