"""The playbook format: pydantic models, the single definition of what a playbook may contain.

The JSON Schema published for editors is generated from these classes (``python -m macros schema``),
the reference page documents them, and every page, file and walk is rendered from instances of them.
Checks that need more than one value at a time (graph, references, placeholders) live in
:mod:`macros.engine.validate`.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    field_validator,
    model_validator,
)

from .facts import DRAFT_AUDIENCES, DRAFT_STATES, FACT_OR_FIELD_NAMES

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
NODE_REF_PATTERN = r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*#)?[a-z0-9]+(?:-[a-z0-9]+)*$"
LINK_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:#[a-z0-9]+(?:-[a-z0-9]+)*)?$"
PLACEHOLDER_PATTERN = r"^[a-z][a-z0-9_]*$"
FILENAME_PATTERN = r"^\.?[A-Za-z0-9_-][A-Za-z0-9_.-]*(?:/\.?[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$"

Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=64),
    Field(description="Stable id: lower-case words joined by hyphens, e.g. `night-shift-lead`."),
]
NodeRef = Annotated[
    str,
    StringConstraints(pattern=NODE_REF_PATTERN, max_length=130),
    Field(description="A node of this playbook (`node-id`) or of another one (`playbook-id#node-id`)."),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
PlaceholderName = Annotated[str, StringConstraints(pattern=PLACEHOLDER_PATTERN, max_length=64)]

TEMPLATE_CHANNELS = ("issue", "issue-form", "email", "status-page", "chat", "document")
RACI_VALUES = ("R", "A", "RA", "C", "I")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Principle(Strict):
    """An idea every decision rests on, shown on the principles page."""

    id: Id
    title: Text
    text: Text
    in_practice: list[Text] = Field(default_factory=list, description="What it means in practice, one item a line.")


class Appointment(Strict):
    """One link of the chain that decides who fills a role, tried in order."""

    when: Text = Field(description="The situation in which this link applies.")
    who: Text = Field(description="Who fills the role in that situation.")
    appointed_by: Text = Field(description="Who decides or names the person.")
    appointer_role: Id | None = Field(None, description="Role id of the appointer, when it is a role.")


class Delegation(Strict):
    """Something the role does not do, and the role that does it instead."""

    task: Text
    instead: Id = Field(description="Role id that does this task.")


class Role(Strict):
    id: Id
    name: Text
    summary: Text
    does: list[Text] = Field(description="What the role does, one item a line.")
    does_not: list[Delegation] = Field(default_factory=list, description="What it leaves to other roles.")
    appointment: list[Appointment] = Field(
        default_factory=list, description="Who may fill the role and who appoints them, in order of preference."
    )


class Responsibility(Strict):
    """One row of the responsibility matrix: a task and what each role has to do with it."""

    id: Id
    task: Text
    raci: dict[Id, Literal[RACI_VALUES]] = Field(  # type: ignore[valid-type]
        description="Role id to R (responsible), A (accountable), RA (both), C (consulted) or I (informed)."
    )


class Answer(Strict):
    id: Id = Field(description="Stable id, used in links to a step; never reuse it for another meaning.")
    label: Text
    next: NodeRef


Keywords = Annotated[
    list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]],
    Field(description="Words people search for when they need this step (site search finds it by them)."),
]


class Question(Strict):
    question: Text
    hint: Text | None = Field(None, description="Why this matters, shown under the question.")
    answers: list[Answer]
    keywords: Keywords = Field(default_factory=list)


class Action(Strict):
    text: Text
    owner: Id | None = Field(None, description="Role id of who does it.")
    templates: list[Id] = Field(default_factory=list, description="Ids of templates that help with it.")


class Link(Strict):
    label: Text
    to: Annotated[str, StringConstraints(pattern=LINK_PATTERN, max_length=130)] = Field(
        description="A playbook id, or `playbook-id#node-id` to start its walk at that node."
    )


class Outcome(Strict):
    title: Text
    summary: Text
    actions: list[Action] = Field(description="The checklist: what to do now.")
    related: list[Link] = Field(default_factory=list, description="Playbooks to continue with.")
    keywords: Keywords = Field(default_factory=list)


def _node_kind(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        return "question-node" if isinstance(value, Question) else "outcome-node"
    if isinstance(value, dict):
        if "question" in value or "answers" in value:
            return "question-node"
        if "title" in value or "actions" in value:
            return "outcome-node"
    return None


NODE_TAGS = ("question-node", "outcome-node")

Node = Annotated[
    Annotated[Question, Tag("question-node")] | Annotated[Outcome, Tag("outcome-node")],
    Discriminator(
        _node_kind,
        custom_error_type="node_kind",
        custom_error_message="a node needs 'question' and 'answers', or 'title', 'summary' and 'actions'",
    ),
]


class Tree(Strict):
    start: Id = Field(description="Id of the first node.")
    nodes: dict[Id, Node] = Field(description="Nodes by id: questions and outcomes.")


class Placeholder(Strict):
    description: Text
    example: Text
    label: Text | None = Field(None, description="Short name for a form field (default: the name, in words).")
    fact: Literal[FACT_OR_FIELD_NAMES] | None = Field(  # type: ignore[valid-type]
        None,
        description="The incident workspace's fact that fills it, when its name is not already that of a fact "
        "(e.g. `product_names` for a `product_name` placeholder). See the playbook format reference.",
    )


class RowGroup(Strict):
    """Placeholders filled once per row (a product, a message): every body line that uses them repeats."""

    label: Text = Field(description="What one row is, e.g. `Product`.")
    fields: list[PlaceholderName] = Field(min_length=1, description="The placeholders of one row.")


class Schedule(Strict):
    """Status-page checks worked out from its last update: the next update is due `every_hours` after the last
    one, and each check comes `check_before_minutes` before the update is due, so it is never found late."""

    placeholder: PlaceholderName = Field(description="Placeholder that receives each check, one body line each.")
    last_update: PlaceholderName = Field(
        description="Placeholder holding when the status page was last updated, `YYYY-MM-DD HH:MM` in UTC."
    )
    every_hours: int = Field(ge=1, le=168, description="At most this long between two updates.")
    check_before_minutes: int = Field(60, ge=0, le=1440, description="How long before an update is due to check.")
    count: int = Field(ge=1, le=60, description="How many checks to list (each assumes the last update was on time).")


class Generator(Strict):
    """How the plan generator fills this template: rows that repeat, and computed times."""

    groups: dict[Id, RowGroup] = Field(default_factory=dict)
    schedule: Schedule | None = None


AUDIENCE_OF_CHANNEL = {"email": "customer", "status-page": "status-page"}  # any other channel: internal


class KnownBreak(Strict):
    rule: Id = Field(description="Id of a draft rule this template breaks on purpose.")
    why: Text = Field(description="Why it may: the reader sees this on the templates page.")


class DraftCheck(Strict):
    """How the draft checker reads this template and the drafts made from it."""

    audience: Literal[DRAFT_AUDIENCES] | None = Field(  # type: ignore[valid-type]
        None,
        description="`customer`, `internal` or `status-page` (default: `customer` for an email, `status-page` for a "
        "status-page entry, else `internal`).",
    )
    state: Literal[DRAFT_STATES] | None = Field(  # type: ignore[valid-type]
        None, description="`ongoing` or `resolved` (default: `resolved` when `when` is resolved, else `ongoing`)."
    )
    security: bool = Field(False, description="Written for a security incident.")
    breaks: list[KnownBreak] = Field(default_factory=list, description="Rules it breaks knowingly, and why.")


class Template(Strict):
    id: Id
    title: Text
    channel: Literal[TEMPLATE_CHANNELS]  # type: ignore[valid-type]
    audience: Text
    filename: Annotated[str, StringConstraints(pattern=FILENAME_PATTERN, max_length=200)] = Field(
        description="Path of the file in the comms repo, e.g. `.github/ISSUE_TEMPLATE/comms-plan.md`."
    )
    summary: Text | None = None
    when: Literal["start", "during", "resolved", "handover"] = Field(
        "during", description="When in an incident it is needed: `start`, `during`, `resolved` or `handover` (the "
        "templates page groups them so)."
    )
    body: Text = Field(description="The text, with placeholders written `{{ name }}`.")
    placeholders: dict[PlaceholderName, Placeholder] = Field(default_factory=dict)
    generator: Generator | None = Field(None, description="Makes the template fillable in the plan generator.")
    draft: DraftCheck = Field(default_factory=DraftCheck, description="How the draft checker reads it.")

    @property
    def draft_audience(self) -> str:
        return self.draft.audience or AUDIENCE_OF_CHANNEL.get(self.channel, "internal")

    @property
    def draft_state(self) -> str:
        return self.draft.state or ("resolved" if self.when == "resolved" else "ongoing")


class WayIn(Strict):
    """A situation someone is in, in their words, and the step of this playbook that answers it."""

    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)] = Field(
        description="The situation in the reader's words, e.g. `It's a security incident`; short: it is a button."
    )
    at: Id | None = Field(None, description="Id of the node to open (default: the playbook's start).")


class Playbook(Strict):
    """One playbook file: metadata, roles, responsibilities, one decision tree and templates."""

    id: Id = Field(description="Must equal the file name without `.yaml`.")
    title: Text
    summary: Text
    audience: list[Text] = Field(description="Who reads it.")
    owner: Text = Field(description="Who keeps it current.")
    last_reviewed: datetime.date
    order: int = Field(100, ge=0, le=10_000, description="Position among playbooks on the site, low first.")
    practice: bool = Field(False, description="Offer this playbook on the Practise page, to walk before it is needed.")
    ways_in: list[WayIn] = Field(
        default_factory=list, description="Situations that open this playbook, listed first on the home page."
    )
    principles: list[Principle] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)
    responsibilities: list[Responsibility] = Field(default_factory=list)
    tree: Tree
    templates: list[Template] = Field(default_factory=list)


WEB_ADDRESS_PATTERN = r"^https?://[^\s<>\"'`\\]+$"
WebAddress = Annotated[
    str,
    StringConstraints(pattern=WEB_ADDRESS_PATTERN, max_length=2_000),
    Field(description="A web address starting with `https://` (or `http://`); no other scheme is accepted."),
]


Severity = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class IncidentSettings(Strict):
    """How the incident workspace keeps time and grades incidents."""

    status_page_every_hours: int = Field(
        6, ge=1, le=168, description="The status page is updated at least this often, in hours."
    )
    status_page_warn_minutes: int = Field(
        60, ge=0, le=1440, description="How long before an update is due the workspace warns, in minutes."
    )
    severities: list[Severity] = Field(
        default_factory=lambda: ["Critical", "Major", "Minor"],
        min_length=1,
        max_length=12,
        description="The severities an incident can have, as the organisation names them, gravest first.",
    )

    @field_validator("severities")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        doubled = sorted({s for s in value if value.count(s) > 1})
        if doubled:
            raise ValueError(f"each severity once: {', '.join(doubled)} is listed more than once")
        return value


class Organisation(Strict):
    """The one file another company edits: its names, referred to from playbooks as `{org.key}`."""

    review_max_age_days: int = Field(180, ge=1, le=3650, description="Age after which a review is stale.")
    site_url: WebAddress | None = Field(
        None, description="Where the built site is published; the environment variable SITE_URL overrides it."
    )
    names: dict[PlaceholderName, Text] = Field(description="Names of teams, people, channels and places, as text.")
    urls: dict[PlaceholderName, WebAddress] = Field(
        default_factory=dict, description="Web addresses, referred to as `{org.key}` like names; only http(s)."
    )
    incident: IncidentSettings = Field(
        default_factory=IncidentSettings, description="The incident workspace: status-page cadence and severities."
    )
    internal_names: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]] = (
        Field(
            default_factory=list,
            max_length=200,
            description="Names that must not reach customers (teams, people, channels, repositories): the draft "
            "checker's `internal-names` rule finds them. `{org.key}` stands for one of the names above.",
        )
    )

    @model_validator(mode="after")
    def _fill_internal_names(self) -> Organisation:
        filled = []
        for name in self.internal_names:
            match = re.fullmatch(r"\{org\.([a-z][a-z0-9_]*)\}", name)
            if match and match.group(1) not in self.names:
                raise ValueError(f"internal_names: '{name}' is not a name of this file; use one of the keys of 'names'")
            filled.append(self.names[match.group(1)] if match else name)
        object.__setattr__(self, "internal_names", filled)
        return self

    @property
    def values(self) -> dict[str, str]:
        """Every `{org.key}` this file defines: its names and its web addresses."""
        return {**self.names, **self.urls}


PLACE_PATTERN = r"^(?:(?:role|template|principle|task):)?[a-z0-9]+(?:-[a-z0-9]+)*(?:#[a-z0-9]+(?:-[a-z0-9]+)*)?$"


class GuidelinePoint(Strict):
    """One point of the source guideline, in short, and where the playbooks carry it."""

    point: Text
    where: list[Annotated[str, StringConstraints(pattern=PLACE_PATTERN, max_length=140)]] = Field(
        min_length=1,
        description="`playbook-id`, `playbook-id#node-id`, or `role:`, `template:`, `principle:`, `task:` and an id.",
    )


class GuidelineMap(Strict):
    """The optional file `playbooks/guideline-map.yaml`: every point of the source guideline and where it lives."""

    title: Text = "Where each guideline lives"
    intro: Text | None = Field(None, description="A sentence or two above the table: what the source is.")
    points: list[GuidelinePoint] = Field(min_length=1)
