"""What other apps are told when a case is filed (立案), without trials importing them.

Dependency direction: apps that build on cases (integrity issues the 法官寄语 letter with every filed case)
import trials and register a listener here from their AppConfig.ready(); trials imports none of them. Every
path that files a case calls `case_filed` inside its own transaction — `services.case_register` (the filing
desk's form and mediation's transfer to filing) and `services.case_import_row` for a case the import creates —
so a listener's write commits or rolls back with the case. No Django signal: the call is explicit in the
services, and a bulk load (the demo) that bypasses them says so and does the listeners' work itself.

Plug points of the 三比 page work the same way: an app adds a column to the 三比 tables and a card to the
headline by registering an `ExtraFigure` (the service app's revisit satisfaction rate):

    from tianping.trials.hooks import ExtraFigure, extra_figures

    extra_figures.register(ExtraFigure(key="satisfaction", label=_("回访满意率"), group="effect",
                                       values=satisfaction_cells))

`values(court, period, by, keys, user, judge_ids)` returns one {"text", "url", "num", "den"} per row key
(`by` is "court", "party", "branch", "department" or "judge"; `keys` are the rows' filter params as
`trials.selectors.metrics` gives them; `judge_ids` narrows to a branch's roster or to one judge, None for the
whole court). "num"/"den" (optional) are shown after the figure as (numerator/denominator).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tianping.core.registry import Registry

CaseFiledListener = Callable[..., None]   # listener(*, case: Case, actor: User | None) -> None
_LISTENERS: list[CaseFiledListener] = []


def on_case_filed(listener: CaseFiledListener) -> CaseFiledListener:
    """Register `listener(*, case, actor)`; registering the same function twice keeps one."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)
    return listener


def case_filed(*, case: Any, actor: Any) -> None:
    """Tell every listener that `case` was filed (called by trials' services inside their transaction)."""
    for listener in _LISTENERS:
        listener(case=case, actor=actor)


# --- figures of the 三比 page ------------------------------------------------------------------------------
extra_figures = Registry("trials_extra_figures")


@dataclass(frozen=True)
class ExtraFigure:
    key: str
    label: Any
    group: str  # "efficiency" | "quality" | "effect" | "party"
    values: Callable[..., list[dict[str, Any]]]
