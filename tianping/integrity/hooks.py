"""Every filed case gets its 法官寄语: trials calls this listener from each service that files a case (the
filing form and mediation's transfer through case_register, the import through case_import_row), always for a
case it has just created."""

from __future__ import annotations

from typing import Any

from tianping.trials.hooks import on_case_filed


@on_case_filed
def issue_letter_for_filed_case(*, case: Any, actor: Any) -> None:
    from tianping.integrity.services import judge_letter_issue

    judge_letter_issue(case=case, actor=actor, new_case=True)
