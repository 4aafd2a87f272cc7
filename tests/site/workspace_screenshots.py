"""The screenshots of docs/onboarding/workspace.md, taken from the built site as a Comms Lead would see it on a
phone: ``make screenshots`` (after a change to the workspace, look at them before committing).

Run as ``.venv/bin/python tests/site/workspace_screenshots.py [OUT_DIR]``; it builds the site into a temporary
folder, serves it on 127.0.0.1 and drives headless Chromium with a fixed clock (so the pictures do not change
from one run to the next but for what the change did).
"""

from __future__ import annotations

import datetime
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.provision_browser import BROWSER_ARGS, find_chromium  # noqa: E402
from tests.site.conftest import SiteServer, mkdocs_build  # noqa: E402

OUT = ROOT / "docs" / "onboarding" / "workspace"
START = datetime.datetime(2026, 3, 3, 9, 55, tzinfo=datetime.UTC)
PHONE = {"width": 390, "height": 844}
TO_TOP = "id => window.scrollTo(0, document.getElementById(id).getBoundingClientRect().top + scrollY - 60)"


def main(out: Path) -> int:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    server = SiteServer()
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        built = mkdocs_build(ROOT, site, server.url)
        if built.returncode:
            print(built.stdout, file=sys.stderr)
            return 1
        base = server.serve(site)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=find_chromium(), headless=True, args=BROWSER_ARGS)
            context = browser.new_context(viewport=PHONE, device_scale_factor=2, timezone_id="Europe/London")
            page = context.new_page()
            page.clock.install(time=START)
            page.goto(base + "workspace/")
            # the theme's "Back to top" shows while scrolling up, as this script does: not in the pictures
            page.add_style_tag(content=".md-top { display: none !important; }")
            page.fill("#ws-start-name", "INC-517 delayed event ingestion")
            page.select_option("#ws-start-severity", index=0)
            page.fill("#ws-start-products", "Analytics")
            page.get_by_role("button", name="Start the incident").click()
            page.get_by_role("button", name="Updated just now").click()
            page.locator("#incident").scroll_into_view_if_needed()
            page.evaluate(TO_TOP, "incident")
            page.mouse.move(0, 0)  # no hover colour on a button
            page.screenshot(path=str(out / "started.png"))

            page.fill("#ws-fact-incident_lead", "Sam")
            page.fill("#ws-products-0-user_visible_impact", "Charts show no data after 09:40 UTC")
            page.fill("#ws-products-0-data_lost_or_delayed", "Delayed, nothing lost")
            page.fill("#ws-fact-status_page_incident_link", "https://status.example.com/incidents/517")
            page.clock.fast_forward("06:20:00")
            page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
            page.locator("#ws-clock").scroll_into_view_if_needed()
            page.evaluate(TO_TOP, "ws-clock")
            page.mouse.move(0, 0)
            page.screenshot(path=str(out / "overdue.png"))

            data = page.evaluate("JSON.parse(document.querySelector('.icp-workspace').dataset.icpWorkspace).templates")
            during = [t["id"] for t in data if t["when"] == "during"]
            briefing = next((t for t in during if "briefing" in t), during[0])  # ours: the internal briefing
            details = page.locator(f"details#template-{briefing}")
            details.locator("summary").click()
            details.get_by_role("button", name="Mark as sent").click()
            page.fill(f"#ws-sent-{briefing}-checked", "Sam")
            page.get_by_role("button", name="Add to the log").click()
            details = page.locator(f"details#template-{briefing}")
            page.evaluate(TO_TOP, f"template-{briefing}")
            page.mouse.move(0, 0)
            page.screenshot(path=str(out / "template.png"))
            browser.close()
    server.close()
    for name in ("started", "overdue", "template"):
        print(f"wrote {out / name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
