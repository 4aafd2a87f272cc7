"""Incident comms playbooks: YAML → load → validate → render.

This package is also the mkdocs-macros module (``module_name: macros``): ``define_env`` registers the
macros that pages opting in (``render_macros: true``) may call. See docs/reference/macros.md.
"""

from __future__ import annotations


def define_env(env) -> None:  # pragma: no cover - exercised by the site build tests
    from .site.page_macros import register

    register(env)
