"""`manage.py check --deploy` (and so `manage.py doctor`): the demo's API token has a published secret
(tianping/api/demo.py); a production database must not hold it."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import DatabaseError


@checks.register(checks.Tags.security, deploy=True)
def check_demo_api_token(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from tianping.api.demo import demo_token_present

    try:
        present = demo_token_present()
    except DatabaseError:  # no database yet (or not migrated): the database check says so
        return []
    if not present:
        return []
    return [checks.Error("数据库中有演示接口令牌（其密钥公开在 README 中）：这是演示库，不能用于生产。",
                         hint="在“接口令牌”页吊销“演示：审判流程管理系统”令牌，或换用未载入演示数据的数据库。",
                         id="tianping.E_DEMO_API_TOKEN")]
