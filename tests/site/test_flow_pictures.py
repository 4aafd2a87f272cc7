"""The flow pictures as a reader sees them, on every page that has one (each playbook page and the whole-flow page),
on a 390x844 phone and a 1366x900 screen, in the light and the dark scheme, on screen and printed.

axe does not look at SVG text, so everything is measured here from what Chromium rendered: the height of every
``<text>`` (getBoundingClientRect), its contrast from computed colours (its ``fill`` over the ``fill`` of the shape
painted under it, over the page's background), and a second opinion from pixels (a screenshot clipped to a few
texts: the commonest colour is the background, a high percentile of contrast against it is the ink). Then the
geometry: no text on another text or on another box, no text outside its own box, nothing cut off by the picture
or by a box around it unless that box scrolls and can be focused, the page never wider than the window, and a
picture that scrolls is reached with Tab, scrolled with the arrow keys and says that it scrolls.

The pages are loaded once per view (a module fixture); each test reads the measurements for one view. Screenshots
of every picture in every view, and the measurements, are written to ``.artefacts/flows/``.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest

from macros.engine.loader import load_project

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / ".artefacts" / "flows"
MIN_TEXT_PX = 12
MIN_CONTRAST = 4.5
INK_PERCENTILE = 0.95  # of the pixels of a text's box, by contrast against the commonest colour
SAMPLES_PER_PICTURE = 2  # texts per picture checked in pixels (the first box text and the first answer)
SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme → Material's data-md-color-scheme
SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
    "desktop": {"viewport": {"width": 1366, "height": 900}, "device_scale_factor": 1},
}
VIEWS = [f"{size}-{scheme}{'-print' if media == 'print' else ''}"
         for size in SIZES for scheme in SCHEMES for media in ("screen", "print")]
SCREEN_VIEWS = [view for view in VIEWS if not view.endswith("-print")]


def flow_pages() -> list[str]:
    """The pages to measure: the whole-flow page, which draws every playbook's picture, and the page in full of
    the playbook with the most steps, where the same picture (the same markup) sits in a playbook's page."""
    biggest = max(load_project().playbooks.values(), key=lambda pb: len(pb.tree.nodes))
    return ["onboarding/whole-flow/", f"playbooks/{biggest.id}/steps/"]


# ------------------------------------------------------------------------------------------ in the page

MEASURE = r"""(figureIndex) => {
  const parse = (value) => {
    const m = /^rgba?\(([^)]*)\)$/.exec(String(value).trim());
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(s => s.endsWith('%') ? parseFloat(s) / 100 : parseFloat(s));
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((m, n) => n - m); return (x + 0.05) / (y + 0.05); };
  const opacity = (el) => {
    let a = 1;
    for (let e = el; e; e = e.parentElement) a *= parseFloat(getComputedStyle(e).opacity);
    return a;
  };
  const paint = (el) => {  // the computed fill with every opacity on the way up, or null when nothing is painted
    const style = getComputedStyle(el);
    const c = parse(style.fill);
    if (!c) return null;
    c[3] *= parseFloat(style.fillOpacity) * opacity(el);
    return c;
  };
  const pageBackground = (el) => {
    const chain = [];
    for (let e = el; e; e = e.parentElement) chain.push(e);
    let colour = [255, 255, 255, 1];
    for (const e of chain.reverse()) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) colour = over(c, colour);
    }
    return colour;
  };
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return {l: r.left, t: r.top, r: r.right, b: r.bottom, w: r.width, h: r.height};
  };
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const cross = (a, b) => Math.min(a.r, b.r) - Math.max(a.l, b.l) > 1 && Math.min(a.b, b.b) - Math.max(a.t, b.t) > 1;
  const inside = (a, b) => a.l >= b.l - 0.5 && a.r <= b.r + 0.5 && a.t >= b.t - 0.5 && a.b <= b.b + 0.5;
  const name = (el) => (el.textContent || el.tagName).trim().replace(/\s+/g, ' ').slice(0, 50);
  const allTexts = [...document.querySelectorAll('.icp-flow svg text')];

  const figure = document.querySelectorAll('.icp-flow')[figureIndex];
  const svgs = [...figure.querySelectorAll('svg')].filter(shown);
  const out = {svgs: svgs.length, texts: [], overlaps: [], outside: [], cut: [], regions: [], samples: [],
               problems: []};
  for (const svg of svgs) {
    const texts = [...svg.querySelectorAll('text')].filter(shown);
    const rects = [...svg.querySelectorAll('rect')].filter(r => shown(r) && paint(r) && paint(r)[3] > 0);
    const background = pageBackground(svg);
    // what clips the picture: the svg itself, then every box around it that does not let overflow show
    const clips = [{el: svg, area: box(svg), scrollsX: false, scrollsY: false, what: 'the svg'}];
    for (let e = svg.parentElement; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const r = e.getBoundingClientRect();
      const root = e === document.documentElement || e === document.body;
      const area = root ? {l: 0, t: -Infinity, r: innerWidth, b: Infinity}
                        : {l: r.left + e.clientLeft, t: r.top + e.clientTop, r: r.left + e.clientLeft + e.clientWidth,
                           b: r.top + e.clientTop + e.clientHeight};
      const focusable = e.tabIndex >= 0;
      const what = e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '');
      clips.push({el: e, area, what,
                  scrollsX: /auto|scroll/.test(s.overflowX) && e.scrollWidth > e.clientWidth + 1 && focusable,
                  scrollsY: root || (/auto|scroll/.test(s.overflowY) && e.scrollHeight > e.clientHeight + 1
                                     && focusable)});
      if (/auto|scroll/.test(s.overflowX) && e.scrollWidth > e.clientWidth + 1 && !root) {
        const hint = [...figure.querySelectorAll('*')]
          .find(h => shown(h) && /scroll/i.test(h.textContent) && !h.contains(svg));
        e.dataset.flowRegion = String(out.regions.length);
        out.regions.push({what: clips.at(-1).what, tabIndex: e.tabIndex, role: e.getAttribute('role'),
                          label: e.getAttribute('aria-label'), scrollWidth: e.scrollWidth, clientWidth: e.clientWidth,
                          hint: hint ? name(hint) : null,
                          scrollbar: e.offsetHeight - e.clientHeight - e.clientTop * 2});
      }
    }
    const at = (b) => `[${b.l.toFixed(0)}..${b.r.toFixed(0)} x ${b.t.toFixed(0)}..${b.b.toFixed(0)}]`;
    for (const el of [...rects, ...texts]) {
      const b = box(el);
      for (const c of clips) {
        const outX = b.l < c.area.l - 1 || b.r > c.area.r + 1, outY = b.t < c.area.t - 1 || b.b > c.area.b + 1;
        if ((outX && !c.scrollsX) || (outY && !c.scrollsY)) {
          out.cut.push(`${el.tagName} "${name(el)}" ${at(box(el))} is cut off by ${c.what} ${at(c.area)}`);
          break;
        }
        // scrolled into view within c, it shows where c shows: what clips c clips it there
        if (c.scrollsX) { b.l = Math.max(b.l, c.area.l); b.r = Math.min(b.r, c.area.r); }
        if (c.scrollsY) { b.t = Math.max(b.t, c.area.t); b.b = Math.min(b.b, c.area.b); }
      }
    }
    const boxes = texts.map(box);
    texts.forEach((text, i) => {
      const b = boxes[i];
      const cx = (b.l + b.r) / 2, cy = (b.t + b.b) / 2;
      // the shape painted under the text: the last painted rect before it in document order that holds its centre
      const under = rects.filter(r => (r.compareDocumentPosition(text) & Node.DOCUMENT_POSITION_FOLLOWING) &&
                                       inside({l: cx, r: cx, t: cy, b: cy}, box(r))).at(-1);
      const ground = under ? over(paint(under), background) : background;
      const ink = paint(text);
      if (!ink) out.problems.push(`text "${name(text)}": fill is ${getComputedStyle(text).fill}`);
      const contrast = ink ? ratio(over(ink, ground), ground) : 0;
      out.texts.push({text: name(text), height: b.h, contrast, fill: getComputedStyle(text).fill,
                      under: under ? getComputedStyle(under).fill : 'page ' + background.join(',')});
      const own = [...text.parentElement.children].find(c => c.tagName === 'rect');
      if (!own) out.outside.push(`"${name(text)}" is not in a box of its own`);
      else if (!inside(b, box(own))) out.outside.push(`"${name(text)}" ${at(b)} sticks out of its box ${at(box(own))}`);
      for (const r of rects) {
        if (r.parentElement !== text.parentElement && cross(b, box(r)))
          out.overlaps.push(`text "${name(text)}" lies on the box of "${name(r.parentElement)}"`);
      }
      for (let j = i + 1; j < texts.length; j++) {
        if (cross(b, boxes[j])) out.overlaps.push(`text "${name(text)}" overlaps text "${name(texts[j])}"`);
      }
    });
    // a few texts for the pixel check: the first of a box and the first of an answer (or the first two)
    const groups = [texts.find(t => /node/.test(t.parentElement.getAttribute('class'))),
                    texts.find(t => /label/.test(t.parentElement.getAttribute('class')))].filter(Boolean);
    for (const t of (groups.length ? groups : texts).slice(0, SAMPLES)) out.samples.push(allTexts.indexOf(t));
  }
  return out;
}""".replace("SAMPLES", str(SAMPLES_PER_PICTURE))


# the box of a text in the screenshot of the window, once it is scrolled into the middle of its region and of the window
# (a full-page screenshot would not do: the pictures are painted only near the window, so its height changes)
TEXT_BOX = """async (i) => { const t = document.querySelectorAll('.icp-flow svg text')[i];
    const frame = () => new Promise(done => requestAnimationFrame(done));
    let last = '', r;
    for (let k = 0; k < 60; k++) {  // until nothing moves (arrow keys scroll smoothly, and go on a while)
      t.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});
      await frame(); await frame();
      r = t.getBoundingClientRect();
      if (`${r.left},${r.top}` === last) break;
      last = `${r.left},${r.top}`;
    }
    const v = visualViewport;  // the screenshot shows the visual viewport (a page wider than a phone is panned)
    return {x: r.left - v.offsetLeft, y: r.top - v.offsetTop, width: r.width, height: r.height,
            text: t.textContent.trim().slice(0, 50)}; }"""
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"

# ------------------------------------------------------------------------------------------ pixels


def png_pixels(data: bytes) -> list[tuple[int, int, int]]:
    """The RGB pixels of a PNG as Chromium writes them (8 bits, RGB or RGBA, not interlaced)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    assert header is not None, "PNG without IHDR"
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and not interlace, f"unexpected PNG format {header}"
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    previous, pixels = bytearray(stride), []
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = previous[i]
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                corner = previous[i - bpp] if i >= bpp else 0
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        pixels += [tuple(line[i:i + 3]) for i in range(0, stride, bpp)]
        previous = line
    return pixels


def _luminance(rgb: tuple[int, ...]) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])


def ink_contrast(png: bytes) -> float:
    """Contrast of the ink of a text against its background, from a screenshot of the text's box."""
    pixels = png_pixels(png)
    background = Counter(pixels).most_common(1)[0][0]
    lb = _luminance(background)
    contrasts = sorted((max(lum, lb) + 0.05) / (min(lum, lb) + 0.05) for lum in map(_luminance, pixels))
    return contrasts[min(len(contrasts) - 1, int(len(contrasts) * INK_PERCENTILE))]


# ------------------------------------------------------------------------------------------ measuring


@dataclass
class Seen:
    """What one page showed in one view."""

    page: str
    view: str
    scheme: str = ""  # data-md-color-scheme Material applied
    pictures: int = 0
    svgs_per_picture: list[int] = field(default_factory=list)
    texts: int = 0
    min_text_px: float | None = None
    smallest_text: str = ""
    min_contrast: float | None = None
    lowest_contrast_text: str = ""
    min_pixel_contrast: float | None = None
    small: list[str] = field(default_factory=list)
    low_contrast: list[str] = field(default_factory=list)
    low_pixel_contrast: list[str] = field(default_factory=list)
    overlaps: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    cut: list[str] = field(default_factory=list)
    page_width: tuple[int, int] = (0, 0)  # documentElement.scrollWidth, innerWidth
    regions: list[dict] = field(default_factory=list)
    keyboard: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    screenshots: list[str] = field(default_factory=list)


def _slug(page: str) -> str:
    return page.strip("/").replace("/", "_")


def _keyboard(page, seen: Seen, region_index: int) -> None:
    """Tab from just before the region must land on it; the right arrow key must then scroll it."""
    selector = f'[data-flow-region="{region_index}"]'
    page.evaluate("""(selector) => { const region = document.querySelector(selector);
        region.scrollLeft = 0; const start = document.createElement('span'); start.tabIndex = -1;
        start.id = 'flow-test-start'; region.before(start); start.focus(); }""", selector)
    page.keyboard.press("Tab")
    focused = page.evaluate("(selector) => document.activeElement === document.querySelector(selector)", selector)
    if not focused:
        what = page.evaluate("() => document.activeElement.outerHTML.slice(0, 80)")
        seen.keyboard.append(f"region {region_index}: Tab from just before it lands on {what}, not on it")
    else:
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        try:
            page.wait_for_function("(selector) => document.querySelector(selector).scrollLeft > 0", arg=selector,
                                   timeout=2_000)
        except Exception:
            seen.keyboard.append(f"region {region_index}: the right arrow key did not scroll it")
    page.evaluate("""(selector) => { document.getElementById('flow-test-start')?.remove();
        document.activeElement?.blur(); document.querySelector(selector).scrollLeft = 0; }""", selector)


def _measure(page, url_path: str, view: str, print_: bool) -> Seen:
    seen = Seen(url_path, view)
    seen.scheme = page.evaluate("document.body.dataset.mdColorScheme || ''")
    count = page.evaluate("document.querySelectorAll('.icp-flow').length")
    seen.pictures = count
    samples: list[int] = []
    for index in range(count):
        page.evaluate("(i) => document.querySelectorAll('.icp-flow')[i].scrollIntoView({block: 'start'})", index)
        found = page.evaluate(MEASURE, index)
        seen.svgs_per_picture.append(found["svgs"])
        seen.problems += found["problems"]
        seen.overlaps += found["overlaps"]
        seen.outside += found["outside"]
        seen.cut += found["cut"]
        seen.regions += [{**region, "picture": index, "id": region_index}
                         for region_index, region in enumerate(found["regions"], start=len(seen.regions))]
        samples += found["samples"]
        for text in found["texts"]:
            seen.texts += 1
            line = f"picture {index + 1}: {text['text']!r} {text['height']:.1f}px, contrast {text['contrast']:.2f} " \
                   f"(fill {text['fill']} on {text['under']})"
            if seen.min_text_px is None or text["height"] < seen.min_text_px:
                seen.min_text_px, seen.smallest_text = round(text["height"], 2), line
            if seen.min_contrast is None or text["contrast"] < seen.min_contrast:
                seen.min_contrast, seen.lowest_contrast_text = round(text["contrast"], 2), line
            if text["height"] < MIN_TEXT_PX:
                seen.small.append(line)
            if text["contrast"] < MIN_CONTRAST:
                seen.low_contrast.append(line)
    # data-flow-region was numbered per picture in the page: renumber across the page for the keyboard check
    page.evaluate("""() => [...document.querySelectorAll('[data-flow-region]')]
        .forEach((e, i) => { e.dataset.flowRegion = String(i); })""")
    seen.page_width = tuple(page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]"))
    if not print_:
        for region in seen.regions:
            _keyboard(page, seen, region["id"])
    for index in samples:
        clip = page.evaluate(TEXT_BOX, index)
        label = clip.pop("text")
        contrast = 0.0
        for _ in range(2):  # a picture scrolled to is painted a frame or two later (content-visibility: auto)
            page.evaluate(NEXT_FRAMES)
            png = page.screenshot(clip=clip)
            contrast = max(contrast, ink_contrast(png))
            if contrast >= MIN_CONTRAST:
                break
            page.wait_for_timeout(200)
        if seen.min_pixel_contrast is None or contrast < seen.min_pixel_contrast:
            seen.min_pixel_contrast = round(contrast, 2)
        if contrast < MIN_CONTRAST:
            seen.low_pixel_contrast.append(f"{label!r}: {contrast:.2f} in pixels")
    page.evaluate("() => document.querySelectorAll('.icp-flow__scroll, [data-flow-region]')"
                  ".forEach(e => { e.scrollLeft = 0; })")
    pictures = page.locator(".icp-flow")
    for index in range(count):
        if pictures.nth(index).evaluate("(f) => f.getBoundingClientRect().height > 0"):
            path = ARTEFACTS / f"{_slug(url_path)}--{view}--{index + 1}.png"
            # Material's header stays at the top of the window: hidden, or it would lie across a tall picture
            pictures.nth(index).screenshot(path=str(path), style=".md-header, .md-top { visibility: hidden; }")
            seen.screenshots.append(path.name)
    return seen


@pytest.fixture(scope="module")
def seen(site_server: str, new_watched_context) -> dict[str, list[Seen]]:
    """Every flow page in every view: ``{view: [Seen, ...]}``; also written to .artefacts/flows/."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTEFACTS.glob("*.png"):
        old.unlink()
    results: dict[str, list[Seen]] = {view: [] for view in VIEWS}
    for size, options in SIZES.items():
        for scheme in SCHEMES:
            context, recorder = new_watched_context(color_scheme=scheme, **options)
            try:
                page = context.new_page()
                for url_path in flow_pages():
                    page.goto(site_server + url_path, wait_until="load")
                    recorder.settle(page)
                    for print_ in (False, True):
                        view = f"{size}-{scheme}{'-print' if print_ else ''}"
                        page.emulate_media(media="print" if print_ else "screen")
                        page.wait_for_timeout(50)
                        try:
                            found = _measure(page, url_path, view, print_)
                        except Exception as exc:  # recorded, so one broken page does not hide the others
                            found = Seen(url_path, view, problems=[f"measuring failed: {exc}"])
                        found.problems += [f"{name}: {entry}" for name, entries in
                                           recorder.problems_but_aborts().items() for entry in entries]
                        results[view].append(found)
                    page.emulate_media(media="screen")
                    recorder.clear()
            finally:
                context.close()
    summary = {view: [asdict(s) for s in found] for view, found in results.items()}
    (ARTEFACTS / "measurements.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return results


def _report(found: list[Seen], attribute: str, limit: int = 6) -> str:
    lines = []
    for s in found:
        entries = getattr(s, attribute)
        if entries:
            lines.append(f"{s.page} ({s.view}): {len(entries)}")
            lines += [f"  {entry}" for entry in entries[:limit]]
            if len(entries) > limit:
                lines.append(f"  … and {len(entries) - limit} more")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------ the tests


def test_every_flow_page_is_measured(seen) -> None:
    assert {s.page for found in seen.values() for s in found} == set(flow_pages())


@pytest.mark.parametrize("view", VIEWS)
def test_each_picture_shows_once_with_text(seen, view: str) -> None:
    """Every flow picture shows exactly one drawing with text in it, in the scheme the browser asked for, and the
    page loads without errors or requests to other hosts."""
    problems = []
    expected_scheme = SCHEMES[view.split("-")[1]]
    for s in seen[view]:
        if s.scheme != expected_scheme:
            problems.append(f"{s.page}: Material applied {s.scheme!r}, not {expected_scheme!r}")
        if not s.pictures:
            problems.append(f"{s.page}: no flow picture")
        if any(n != 1 for n in s.svgs_per_picture):
            problems.append(f"{s.page}: visible drawings per picture {s.svgs_per_picture} (one each expected)")
        if s.pictures and not s.texts:
            problems.append(f"{s.page}: no visible text in the pictures")
        problems += [f"{s.page}: {p}" for p in s.problems]
    whole = next(s for s in seen[view] if s.page == "onboarding/whole-flow/")
    if whole.pictures != len(load_project().playbooks):
        problems.append(f"onboarding/whole-flow/: {whole.pictures} pictures for {len(load_project().playbooks)} "
                        "playbooks")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("view", VIEWS)
def test_text_is_at_least_12px(seen, view: str) -> None:
    assert not any(s.small for s in seen[view]), (
        f"SVG text rendered below {MIN_TEXT_PX}px ({view}):\n" + _report(seen[view], "small"))


@pytest.mark.parametrize("view", VIEWS)
def test_text_contrast_from_computed_colours(seen, view: str) -> None:
    assert not any(s.low_contrast for s in seen[view]), (
        f"SVG text below {MIN_CONTRAST}:1 against the shape under it ({view}):\n" + _report(seen[view], "low_contrast"))


@pytest.mark.parametrize("view", VIEWS)
def test_text_contrast_in_pixels(seen, view: str) -> None:
    missing = [s.page for s in seen[view] if s.pictures and s.min_pixel_contrast is None]
    assert not missing, f"no text was checked in pixels on {missing}"
    assert not any(s.low_pixel_contrast for s in seen[view]), (
        f"SVG text below {MIN_CONTRAST}:1 in a screenshot ({view}):\n" + _report(seen[view], "low_pixel_contrast"))


@pytest.mark.parametrize("view", VIEWS)
def test_no_text_overlaps_or_leaves_its_box(seen, view: str) -> None:
    assert not any(s.overlaps or s.outside for s in seen[view]), (
        f"overlapping text ({view}):\n" + _report(seen[view], "overlaps") + "\n" + _report(seen[view], "outside"))


@pytest.mark.parametrize("view", VIEWS)
def test_nothing_is_cut_off(seen, view: str) -> None:
    assert not any(s.cut for s in seen[view]), (
        f"boxes or text cut off by a box that does not scroll ({view}):\n" + _report(seen[view], "cut"))


@pytest.mark.parametrize("view", VIEWS)
def test_the_page_never_scrolls_sideways(seen, view: str) -> None:
    wide = [f"{s.page}: document {s.page_width[0]}px wide in a {s.page_width[1]}px window" for s in seen[view]
            if s.page_width[0] > s.page_width[1]]
    assert not wide, "\n".join(wide)


@pytest.mark.parametrize("view", SCREEN_VIEWS)
def test_scrolling_pictures_say_so_and_work_with_the_keyboard(seen, view: str) -> None:
    """A picture wider than its column sits in a region that is focusable (tabindex 0), named (role region and an
    aria-label), says that it scrolls (a visible hint or scrollbar), is reached with Tab and scrolls with the arrow
    keys."""
    problems = []
    for s in seen[view]:
        for r in s.regions:
            where = f"{s.page} picture {r['picture'] + 1} ({r['scrollWidth']}px in {r['clientWidth']}px)"
            if r["tabIndex"] != 0:
                problems.append(f"{where}: tabindex is {r['tabIndex']}, not 0")
            if r["role"] != "region" or not (r["label"] or "").strip():
                problems.append(f"{where}: role {r['role']!r}, aria-label {r['label']!r}")
            if not r["hint"] and r["scrollbar"] <= 0:
                problems.append(f"{where}: no visible hint or scrollbar says it scrolls")
        problems += [f"{s.page}: {k}" for k in s.keyboard]
    assert not problems, "\n".join(problems)


def test_no_print_view_needs_scrolling(seen) -> None:
    """Paper does not scroll: printed, every picture fits its column."""
    found = [f"{s.page} ({view}) picture {r['picture'] + 1}: {r['scrollWidth']}px in {r['clientWidth']}px"
             for view in VIEWS if view.endswith("-print") for s in seen[view] for r in s.regions]
    assert not found, "\n".join(found)


def test_screenshots_are_saved(seen) -> None:
    names = {name for found in seen.values() for s in found for name in s.screenshots}
    expected = sum(s.pictures for found in seen.values() for s in found)
    assert len(names) == expected, f"{len(names)} screenshots for {expected} pictures in {ARTEFACTS}"
    assert all(re.fullmatch(r"[\w.-]+--[\w-]+--\d+\.png", name) for name in names)
