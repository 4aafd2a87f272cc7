"""What the draft checker's page is given (``macros/render/checker.py``): the rules once, and for each template its
scope and the example a draft of it starts from; and that example is the template as it would be sent."""

from __future__ import annotations

import html
import json
import re

from macros.engine.drafts import as_data
from macros.engine.loader import load_project
from macros.render.checker import FORMAT_OF_CHANNEL, checker_data, draft_checker, example_text
from macros.render.plan import PLACEHOLDER

PROJECT = load_project()


def test_the_rules_once_and_every_template_with_its_scope():
    data = checker_data(PROJECT)
    assert data["rules"] == as_data(PROJECT.draft_rules)["rules"]
    assert [t["id"] for t in data["templates"]] == list(PROJECT.templates)
    for entry in data["templates"]:
        template = PROJECT.templates[entry["id"]]
        assert (entry["audience"], entry["state"], entry["security"]) == (
            template.draft_audience, template.draft_state, template.draft.security)
        assert entry["breaks"] == {b.rule: b.why for b in template.draft.breaks}
        assert entry["example"] == example_text(template)


def test_an_example_fills_every_placeholder_from_its_example_in_its_channels_form():
    for template in PROJECT.templates.values():
        text = example_text(template)
        left = [m.group(1) for m in PLACEHOLDER.finditer(text)]
        assert not left, (template.id, left)
        for name, placeholder in template.placeholders.items():
            if PLACEHOLDER.search(template.body) and f"{{{{ {name} }}}}" in template.body and placeholder.example:
                first_words = placeholder.example.split()[0]
                assert first_words.strip("*_`\\") in text.replace("\\", ""), (template.id, name)
        if FORMAT_OF_CHANNEL.get(template.channel) == "text":
            assert not re.search(r"^#{1,6} |\*\*", text, re.MULTILINE), template.id  # plain text, as an email is sent


def test_the_widget_carries_its_data_as_text_and_names_the_command_line_without_scripts():
    widget = str(draft_checker(PROJECT))
    assert 'data-icp-script="common drafts checker"' in widget
    assert "python -m macros draft-check" in widget
    raw = re.search(r'data-icp-drafts="([^"]*)"', widget).group(1)
    assert "<" not in raw and ">" not in raw  # every text escaped in the attribute
    assert json.loads(html.unescape(raw)) == checker_data(PROJECT)
