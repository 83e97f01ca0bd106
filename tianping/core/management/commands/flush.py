"""`flush`, as Django's, but able to empty the append-only audit table in development and tests.

The test runner (pytest-django's transactional tests) flushes the database between tests; the audit
table's trigger would refuse that. In production (DEBUG=0 outside tests) this is plain `flush`, so the
trigger still refuses to wipe the audit trail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.commands.flush import Command as DjangoFlush

from tianping.core.audit import audit_maintenance


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        if settings.DEBUG or getattr(settings, "TESTING", False):
            with audit_maintenance(options.get("database")):
                return super().handle(**options)
        return super().handle(**options)
