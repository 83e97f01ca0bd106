"""Registries the apps plug into, so that `tianping.core` names no domain app.

Each app registers from the modules that `CoreConfig.ready()` discovers (`autodiscover_modules`): its `policy`,
`menu`, `home` (home-page panels), `todo` (to-do items), `timeline` (a person's record), `importers` (registers),
`scopes` (who a role reaches), `report` (the annual report's figures) and `dashboard` (the dashboards' monthly
series and branch scorecard columns). The demo generators (`demo`) are discovered by `seed_demo` only.

    from tianping.core.registry import home_panels

    @home_panels.register(order=30)
    def party_panels(user) -> list[dict]: ...
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

DISCOVERED_MODULES = ("policy", "scopes", "menu", "home", "todo", "timeline", "importers", "report", "dashboard")


@dataclass
class Registry:
    """An ordered list of callables (or declarations) contributed by the apps."""

    name: str
    _entries: list[tuple[int, str, Any]] = field(default_factory=list)

    def register(self, item: Any = None, *, order: int = 100) -> Any:
        def _add(obj: Any) -> Any:
            key = f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', repr(obj))}"
            if not any(k == key for _, k, _o in self._entries):
                self._entries.append((order, key, obj))
                self._entries.sort(key=lambda e: (e[0], e[1]))
            return obj

        return _add(item) if item is not None else _add

    def __iter__(self) -> Iterator[Any]:
        return (obj for _o, _k, obj in self._entries)

    def __len__(self) -> int:
        return len(self._entries)


menu = Registry("menu")                  # MenuGroup objects (tianping.core.menu)
home_panels = Registry("home_panels")    # fn(user) -> list[dict]
todo = Registry("todo")                  # fn(user) -> list[dict]
timeline = Registry("timeline")          # fn(person, user) -> list[dict]
demo = Registry("demo")                  # fn(ctx) -> None, in order
branch_panels = Registry("branch_panels")  # fn(organisation, user) -> [{"title", "figures"}] on a branch's page
# study hours earned outside meetings: fn(court_id, year, person_ids|None) -> {person_id: (label, Decimal)}
study_sources = Registry("study_sources")
# rows and buttons other apps add to a trials case's page: fn(case, user) -> list[dict] with label, text, url,
# testid and kind ("row" or "action") — e.g. mediation's confirmation dispute and entrusted mediations
case_panels = Registry("case_panels")
# fn(court, year) -> {key: ReportFigure}: the annual report's figures, each app those from its own records,
# by the same definitions as its pages (tianping/annual)
report_figures = Registry("report_figures")


def provides(*keys: str) -> Callable[[Any], Any]:
    """Declare the report keys a `report_figures` provider returns, so that a caller needing only some keys
    (the annual report's three-year table) skips the providers of the others. Undeclared providers always run."""
    def mark(fn: Any) -> Any:
        fn.report_keys = frozenset(keys)
        return fn

    return mark


# fn(court, year) -> list[MonthlySeries]: a figure per calendar month of the year, for the dashboards' trends
monthly_figures = Registry("monthly_figures")
# BranchFigures objects: columns of the branch scorecards (支部建设比拼), each app those of its own records
branch_figures = Registry("branch_figures")


@dataclass(frozen=True)
class ReportFigure:
    """One figure of the annual report: its value (a count; a rate as a fraction rounded to 4 places; None
    where the denominator is 0) and the address of the list of the records it counts."""

    value: int | float | None
    url: str = ""


@dataclass(frozen=True)
class MonthlySeries:
    """One figure month by month (12 values, January first; None for a month not yet begun), each month with
    the address of its records ("" where there is no list)."""

    key: str
    label: Any
    values: list[int | float | None]
    urls: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BranchColumn:
    """A column of the branch scorecards: its key, its heading and how its values read (count, rate as a
    fraction, number with decimals)."""

    key: str
    label: Any
    kind: str = "count"  # count | rate | number


@dataclass(frozen=True)
class BranchFigures:
    """An app's columns of the branch scorecards. `compute(court, year, rosters)` answers
    {branch id: {column key: ReportFigure}}; `rosters` is {branch id: ids of the people on its roster (with its
    党小组) on the reference day (31 December, or today in the current year)}."""

    name: str
    columns: tuple[BranchColumn, ...]
    compute: Callable[[Any, int, dict[int, list[int]]], dict[int, dict[str, ReportFigure]]]


# role code -> fn(user) -> set of person ids the role reaches (e.g. a branch secretary's branch members)
person_scopes: dict[str, Callable[[Any], set[int]]] = {}


def register_person_scope(role: str, func: Callable[[Any], set[int]]) -> None:
    person_scopes[str(role)] = func


def autodiscover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules(*DISCOVERED_MODULES)
