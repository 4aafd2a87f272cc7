"""The guideline map as a table: each point of the source guideline and links to where it lives."""

from __future__ import annotations

from ..engine.guideline_map import Place, places
from ..engine.loader import Project
from . import links
from .html import Markup, el, table
from .tree import node_title


def guideline_table(project: Project, from_src: str) -> Markup:
    assert project.guideline_map is not None
    known = places(project.playbooks)
    rows = [
        el(
            "tr",
            None,
            el("td", None, point.point),
            el("td", None, el("ul", {"class": "icp-places"}, *[el("li", None, _link(project, from_src, known[ref]))
                                                                for ref in point.where])),
        )
        for point in project.guideline_map.points
    ]
    return table(["Guideline", "Where it lives"], rows, caption="Each guideline and the places that carry it")


def _link(project: Project, from_src: str, place: Place) -> Markup:
    pb = project.playbooks[place.playbook]
    playbook_url = links.page_url(links.playbook_page(pb.id))
    if place.kind == "playbook":
        href, label = links.relative(from_src, playbook_url), f"Playbook: {pb.title}"
    elif place.kind == "node":
        # on the page of every step: any step is there, read in context, with or without JavaScript
        href = links.relative(from_src, links.page_url(links.steps_page(pb.id)), links.node_anchor(pb.id, place.id))
        label = f"{pb.title} → {node_title(project, (pb.id, place.id))}"
    elif place.kind == "role":
        href = links.relative(from_src, links.page_url(links.role_page(place.id)))
        label = f"Role: {project.roles[place.id].name}"
    elif place.kind == "template":
        href = links.relative(from_src, links.page_url(links.template_page()), links.template_anchor(place.id))
        label = f"Template: {project.templates[place.id].title}"
    elif place.kind == "principle":
        principle = next(p for p in pb.principles if p.id == place.id)
        href = links.relative(from_src, links.page_url(links.PRINCIPLES_PAGE), links.principle_anchor(place.id))
        label = f"Principle: {principle.title}"
    else:
        task = next(t for t in pb.responsibilities if t.id == place.id)
        href = links.relative(from_src, links.page_url(links.RESPONSIBILITIES_PAGE), links.task_anchor(place.id))
        label = f"Task: {task.task}"
    return el("a", {"href": href}, label)
