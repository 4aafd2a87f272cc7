"""The incident workspace with an incident in it, and the incident bar it puts on every page, in every view (phone
and laptop, light and dark): the checks of views.py (contrast from the rendered colours, 12 px, no sideways
scrolling, no layout shift, axe-core) on pages that the plain views only see empty. The incident is overdue, so
the overdue colours are measured too; every fact, product and log entry is filled, some with long unbroken text."""

from __future__ import annotations

import json

import pytest

from macros.engine.loader import load_project
from tests.site.conftest import ROOT
from tests.site.views import ViewChecks

pytestmark = pytest.mark.browser

_LONG = "a-very-long-unbroken-channel-name-" * 4
_INCIDENT = {
    "id": "inc-views", "practice": False, "opened_at": "2026-03-03T09:45:00Z", "closed_at": None,
    "facts": {"incident_name": "INC-517 delayed event ingestion", "severity": "Critical", "security": "no",
              "start_utc": "2026-03-03T09:40:00Z", "incident_link": "https://example.com/" + _LONG,
              "incident_channel": "#" + _LONG, "incident_lead": "Sam", "comms_lead": "Priya",
              "status_page_incident_link": "https://status.example.com/incidents/517",
              "customer_segments": "Owners and admins of organisations on the EU cloud", "notes": "None yet"},
    "rows": {"products": [{"product": "Analytics", "user_visible_impact": "Charts show no data after 09:40 UTC",
                           "data_lost_or_delayed": "Delayed, nothing lost"}, {"product": "Exports"}],
             "messages": [{"message_time": "2026-03-03 10:30 UTC", "message_channel": "email",
                           "message_audience": "Owners and admins of affected organisations",
                           "message_summary": "Charts delayed: " + _LONG, "fact_checked_by": "Sam",
                           "message_status": "Sent"}]},
    "status_updates": [], "walks": [], "ticks": {},
}
# the last status-page update seven hours before the page loads: the clock and the bar show it overdue
INIT = """(() => {
  if (!location.protocol.startsWith("http") || localStorage.getItem("icp-workspace")) return;
  const incident = INCIDENT;
  incident.status_updates = [new Date(Date.now() - 7 * 3600 * 1000).toISOString().replace(/\\.[0-9]+Z$/, "Z")];
  localStorage.setItem("icp-workspace", JSON.stringify({ version: 1, incidents: { [incident.id]: incident },
    active: incident.id, clock: { every_hours: 6, warn_minutes: 60 } }));
})();""".replace("INCIDENT", json.dumps(_INCIDENT))

_PROJECT = load_project(None, org_file=ROOT / "playbooks" / "organisation.yaml")
_FIRST = next(iter(_PROJECT.playbooks))
_TEMPLATE = next(iter(_PROJECT.templates))
PATHS = (f"workspace/#template-{_TEMPLATE}", "", f"playbooks/{_FIRST}/")


class _WithIncident(ViewChecks):
    PATHS = PATHS
    INIT = INIT
    TAG = "-incident"


class TestWorkspaceLightPhone(_WithIncident):
    SCHEME, WIDTH = "light", 390


class TestWorkspaceDarkPhone(_WithIncident):
    SCHEME, WIDTH = "dark", 390


class TestWorkspaceLightLaptop(_WithIncident):
    SCHEME, WIDTH = "light", 1366


class TestWorkspaceDarkLaptop(_WithIncident):
    SCHEME, WIDTH = "dark", 1366


def test_the_pages_looked_at_show_the_incident(site_server, open_context) -> None:
    """The views above check what is on these pages: the overdue clock, an open template and the bar must be."""
    context, recorder = open_context(viewport={"width": 390, "height": 844})
    context.add_init_script(INIT)
    page = context.new_page()
    page.goto(site_server + PATHS[0])
    assert page.locator("#ws-due.icp-ws__due--overdue").is_visible()
    assert "Overdue by 1 h 0 min" in page.locator("#ws-due").inner_text()
    assert page.locator(f"details#template-{_TEMPLATE}").evaluate("d => d.open")
    assert page.locator(".icp-bar").count() == 0  # the workspace shows the clock itself
    for path in PATHS[1:]:
        page.goto(site_server + path)
        bar = page.locator("aside.icp-bar")
        bar.wait_for(state="visible")
        assert "INC-517 delayed event ingestion" in bar.inner_text() and "OVERDUE by 1 h 0 min" in bar.inner_text()
    assert not recorder.problems_but_aborts(), recorder.report()
