"""Command options derived from core's field definitions (``kneecap.core.log``), never retyped.

A logged type's fields become ``--options`` with the same meaning and kinds; the values
come back as core's JSON shape, which ``core.from_json`` checks like any other door.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

import typer

from kneecap.core import log as core

_PLAIN: dict[core.Kind, type[Any]] = {
    core.Kind.WHOLE: int,
    core.Kind.NUMBER: float,
    core.Kind.TEXT: str,
    core.Kind.SLUG: str,
    core.Kind.DATE: str,
}


def options(
    cls: type[Any], *, skip: tuple[str, ...] = (), rename: dict[str, str] | None = None
) -> list[inspect.Parameter]:
    """One option per field of ``cls`` (lists and ``skip`` left out); ``rename`` gives a
    field another parameter name (its flag follows: ``session_rpe`` → ``--session-rpe``)."""
    out = []
    for name, spec in core.specs(cls):
        if spec.kind is core.Kind.LIST or name in skip:
            continue
        param = (rename or {}).get(name, name)
        out.append(_parameter(param, spec))
    return out


def _parameter(name: str, spec: core.Spec) -> inspect.Parameter:
    flag = "--" + name.replace("_", "-")
    if spec.kind is core.Kind.FLAG:
        option = typer.Option(flag, help=spec.doc)
        return inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, default=False, annotation=Annotated[bool, option]
        )
    kind: Any = spec.choices if spec.kind is core.Kind.CHOICE else _PLAIN[spec.kind]
    option = typer.Option(flag, help=spec.doc, show_default=False)
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[kind | None, option],
    )


def values(
    cls: type[Any], given: dict[str, Any], rename: dict[str, str] | None = None
) -> dict[str, Any]:
    """The options given for ``cls``'s fields, in core's JSON shape (unset ones left out)."""
    out: dict[str, Any] = {}
    for name, spec in core.specs(cls):
        value = given.get((rename or {}).get(name, name))
        if spec.kind is core.Kind.LIST or value is None:
            continue
        if spec.kind is core.Kind.FLAG and value is False:
            continue
        out[name] = value.value if spec.kind is core.Kind.CHOICE else value
    return out


def command(
    body: Callable[..., None], fixed: list[inspect.Parameter], derived: list[inspect.Parameter]
) -> Callable[..., None]:
    """``body(**options)`` as a command whose signature is ``fixed`` then ``derived``."""

    def run(**given: Any) -> None:
        body(**given)

    params = [*fixed, *derived]
    # inspect (and so Typer) reads it; typeshed declares no such attribute on a function
    run.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in params}
    run.__doc__ = body.__doc__
    run.__name__ = body.__name__
    return run
