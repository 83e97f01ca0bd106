from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tianping.core"
    label = "core"
    verbose_name = _("公共")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from tianping.core.audit import register_sqlite_function
        from tianping.core.validators import use_one_length_message

        # SQLite's append-only triggers on the audit table call this function (see tianping/core/audit.py)
        connection_created.connect(register_sqlite_function, dispatch_uid="tianping_audit_sqlite_function")

        from tianping.core.tables import register_columns

        register_columns()  # date columns that do not compile a template for every cell (core/tables.py)

        use_one_length_message()  # "最多 40 个字（现为 45 个），请删减。" in every form, model and import

        # every app plugs its policy, menu, home panels, to-do items, timeline entries, registers and scopes
        # into tianping.core.registry from these modules; core itself names no domain app
        from tianping.core.registry import autodiscover

        autodiscover()
