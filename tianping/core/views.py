"""Shell views (home, login, language) and the generic list view every register uses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from tianping.core import registry
from tianping.core.middleware import public

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


def collect_todo(user: Any) -> list[dict[str, Any]]:
    """To-do items from every app (`registry.todo`: fn(user) -> list[dict]), sorted by due date.

    Each item: {"label": str, "url": str, "due": date|None, "kind": str, "level": "danger"|"warning"|"info"}.
    """
    items: list[dict[str, Any]] = []
    for func in registry.todo:
        items.extend(func(user))
    far = timezone.localdate().replace(year=9999)
    return sorted(items, key=lambda i: (i.get("due") or far, i["label"]))


def collect_home_panels(user: Any) -> list[dict[str, Any]]:
    """Home-page figure panels from every app (`registry.home_panels`: fn(user) -> list[dict]).

    Each panel: {"title": str, "figures": [{"label", "value", "url"}]}."""
    panels: list[dict[str, Any]] = []
    for func in registry.home_panels:
        panels.extend(func(user))
    return panels


def collect_timeline(person: Any, user: Any) -> list[dict[str, Any]]:
    """A person's record from every app (`registry.timeline`: fn(person, user) -> list[dict]), newest first."""
    from datetime import date

    entries: list[dict[str, Any]] = []
    for func in registry.timeline:
        app = func.__module__.split(".")[1] if func.__module__.startswith("tianping.") else ""
        for item in func(person, user) or []:
            if isinstance(item.get("date"), date):
                entries.append({"app": app, **item})
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries


def figure_text(value: Any) -> str:
    """A figure as shown on a card: 12,345 · 100,894.50 (money and rates keep two decimals at most)."""
    from decimal import Decimal

    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (float, Decimal)):
        text = f"{value:,.2f}"
        return text[:-3] if text.endswith(".00") else text
    return str(value)


def _home_key(user_id: int, language: str) -> str:
    return f"home:{user_id}:{language}"


def forget_home(user_id: int | None) -> None:
    """Drop an account's kept home page (every language), after what it did changed its figures or to-dos;
    called by the audit trail for each entry an account makes (`tianping.core.audit`), when it commits."""
    from django.conf import settings

    from tianping.core.cache import forget

    if user_id and settings.TIANPING_HOME_CACHE_SECONDS:
        forget(*(_home_key(user_id, code) for code, _name in settings.LANGUAGES))


def home_content(user: Any, *, refresh: bool = False) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Any]:
    """The home page's to-dos and figure panels and when they were worked out. Kept per account and language
    for TIANPING_HOME_CACHE_SECONDS (`tianping.core.cache.kept`): the home page is the page asked most (a third
    of a working day's requests) and gathers ~15 apps' counts. The account's own audited changes drop its copy
    (`forget_home`); `refresh` works it out anew."""
    from django.conf import settings
    from django.utils.translation import get_language

    from tianping.core.cache import kept

    def gather() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        panels = collect_home_panels(user)
        for panel in panels:
            for figure in panel.get("figures", []):
                figure["text"] = figure_text(figure.get("value"))
        return collect_todo(user), panels

    (todo, panels), at = kept(_home_key(user.pk, get_language() or settings.LANGUAGE_CODE), gather,
                              seconds=settings.TIANPING_HOME_CACHE_SECONDS, refresh=refresh)
    return todo, panels, at


class HomeView(TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs: Any) -> Any:
        ctx = super().get_context_data(**kwargs)
        # a kept copy says when it was worked out, with a link that works it out now
        ctx["todo"], ctx["panels"], ctx["home_at"] = home_content(self.request.user,
                                                                  refresh="refresh" in self.request.GET)
        ctx["page_title"] = _("首页")
        return ctx


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


@public
def healthz(request: HttpRequest) -> Any:
    return JsonResponse({"ok": True})


class ExportReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("导出理由"), min_length=4, max_length=200,
                             widget=forms.TextInput(attrs={"class": "form-control",
                                                           "placeholder": gettext_lazy("如：报送上级党委核对党员身份信息")}),
                             error_messages={"min_length": gettext_lazy("请写明导出理由（至少 4 个字），将记入审计日志。"),
                                             "required": gettext_lazy("请写明导出理由（至少 4 个字），将记入审计日志。")})


class ExportMixin:
    """`?export=xlsx` on a list page downloads exactly the filtered rows in the register's import layout.

    Personal columns (ID numbers, phones) leave masked. `?export=xlsx&full=1` exports them in clear, as seeing
    one on a person's page does: only for an account allowed to (`register_for_user`), only after it states a
    reason (a form; the export is the POST), and the audit entry names every row exported in clear."""

    request: HttpRequest

    register_kind: str = ""

    def export_response(self, queryset: Any) -> Any:
        from tianping.core.registers import get_register
        from tianping.core.scope import register_for_user

        reg, _full = register_for_user(get_register(self.register_kind), self.request.user)
        return self._export(reg, queryset, full=False)

    def export_full(self, queryset: Any) -> Any:
        """The reason form (GET) and the export in clear (POST with a reason); 403 without the permission."""
        from django.core.exceptions import PermissionDenied
        from django.shortcuts import render

        from tianping.core.registers import get_register
        from tianping.core.scope import has_personal_columns, register_for_user

        reg = get_register(self.register_kind)
        if not has_personal_columns(reg):
            return self.export_response(queryset)
        reg, full = register_for_user(reg, self.request.user, reveal=True)
        if not full:
            raise PermissionDenied
        form = ExportReasonForm(self.request.POST if self.request.method == "POST" else None)
        if self.request.method == "POST" and form.is_valid():
            return self._export(reg, queryset, full=True, reason=form.cleaned_data["reason"])
        back = self.request.GET.copy()
        back.pop("export", None)
        back.pop("full", None)
        return render(self.request, "core/export_reason.html", {
            "form": form, "reg": reg, "query": self.request.GET.urlencode(), "page_title": _("导出完整身份信息"),
            "breadcrumbs": [(reg.title, self.request.path), (_("导出完整身份信息"), None)],
            "back": f"{self.request.path}?{back.urlencode()}"})

    def _export(self, reg: Any, queryset: Any, *, full: bool, reason: str = "") -> Any:
        from tianping.core.audit import audit_record
        from tianping.core.registers import export_xlsx

        exported: list[str] = []

        def rows() -> Any:
            for obj in queryset.iterator(chunk_size=2000):
                exported.append(str(getattr(obj, "pk", "")))
                yield obj

        data = export_xlsx(reg, rows())
        query = {k: v for k, v in self.request.GET.items() if k not in ("export", "full")}
        where = f"{reg.kind} {urlencode(query)}".strip()
        if full:
            audit_record(actor=self.request.user, event="export.personal",
                         after={"kind": reg.kind, "filter": query, "rows": len(exported),
                                "object_type": reg.model._meta.label_lower, "ids": exported},
                         message=f"{where} 导出 {len(exported)} 行，含完整身份证号/手机号，理由：{reason}")
        else:
            audit_record(actor=self.request.user, event="export",
                         after={"kind": reg.kind, "filter": query, "rows": len(exported)},
                         message=f"{where} 导出 {len(exported)} 行" + ("（身份证号、手机号已遮蔽）" if _has_personal(reg) else ""))
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{reg.kind}-{stamp}.xlsx"
        return response


def _has_personal(reg: Any) -> bool:
    from tianping.core.scope import has_personal_columns

    return has_personal_columns(reg)


class FilteredListView(ExportMixin, SingleTableMixin, FilterView):  # type: ignore[misc]
    """A register's list: keyword search and filters (FilterSet), sortable paginated table, result count,
    reset and export — all from one queryset (`get_queryset` must start from `visible_to(user)`)."""

    template_name = "core/list.html"
    paginate_by = 25
    page_title: str | _StrPromise = ""
    create_url_name: str | None = None
    import_kind: str | None = None
    breadcrumbs: list[Any] = []

    def paginate_queryset(self, queryset: Any, page_size: int) -> Any:
        """The table paginates (django-tables2, `paginate_by` rows a page); the ListView's own paginator would
        count the filtered rows a second time (a COUNT over every matching row of a large register)."""
        return None, None, queryset, False

    def _export_queryset(self) -> Any:
        filterset = self.get_filterset(self.get_filterset_class())
        return filterset.qs if filterset.is_bound and filterset.is_valid() else self.get_queryset()

    export_perm: str = ""  # a permission every download of this list needs besides visible_to (e.g. party's)

    def _require_export_perm(self) -> None:
        if self.export_perm:
            from tianping.core.policy import require_perm

            require_perm(self.request.user, self.export_perm)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.GET.get("export") == "xlsx" and self.register_kind:
            self._require_export_perm()
            if request.GET.get("full") == "1":
                return self.export_full(self._export_queryset())
            return self.export_response(self._export_queryset())
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        """Only the export in clear is a POST (it carries the stated reason)."""
        if request.GET.get("export") == "xlsx" and request.GET.get("full") == "1" and self.register_kind:
            self._require_export_perm()
            return self.export_full(self._export_queryset())
        from django.http import HttpResponseNotAllowed

        return HttpResponseNotAllowed(["GET"])

    def get_template_names(self) -> Any:
        if self.request.headers.get("HX-Request") and not self.request.headers.get("HX-Boosted"):
            return ["core/list_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> Any:
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = self.page_title
        ctx["breadcrumbs"] = self.breadcrumbs or [(self.page_title, None)]
        ctx["create_url_name"] = self.create_url_name
        ctx["import_kind"] = self.import_kind
        ctx["can_export"] = bool(self.register_kind)
        if self.register_kind:
            from tianping.core.registers import get_register
            from tianping.core.scope import has_personal_columns, register_for_user

            reg = get_register(self.register_kind)
            ctx["can_export_full"] = has_personal_columns(reg) and register_for_user(reg, self.request.user,
                                                                                     reveal=True)[1]
            if self.export_perm:
                from tianping.core.policy import allowed

                ctx["can_export_full"] = ctx["can_export_full"] and allowed(self.request.user, self.export_perm)
        table = ctx.get("table")
        if table is not None:
            paginator = getattr(table, "paginator", None)
            ctx["result_count"] = paginator.count if paginator is not None else len(table.rows)
        # an htmx request renders only the table; the export link then travels out-of-band so it always
        # carries the filter that is on screen
        ctx["partial"] = bool(self.request.headers.get("HX-Request") and not self.request.headers.get("HX-Boosted"))
        query = self.request.GET.copy()
        query.pop("page", None)
        query["export"] = "xlsx"
        ctx["export_query"] = query.urlencode()
        return ctx

