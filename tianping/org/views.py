from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from tianping.core.actions import add_service_errors
from tianping.core.policy import can, checked_object, object_permission, permission_required, require
from tianping.core.scope import get_visible_or_404
from tianping.core.views import FilteredListView
from tianping.org import services
from tianping.org.filtersets import CourtFilterSet, DepartmentFilterSet, PersonFilterSet
from tianping.org.forms import DepartmentForm, PersonForm
from tianping.org.models import Court, Department, Person
from tianping.org.tables import CourtTable, DepartmentTable, PersonTable


class ExportGuardMixin:
    """`?export=xlsx` asks the policy's "export" of the list's model (403 otherwise)."""

    export_model: type

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            require(request.user, "export", self.export_model)
        return super().get(request, *args, **kwargs)


class PersonListView(ExportGuardMixin, FilteredListView):
    export_model = Person
    table_class = PersonTable
    filterset_class = PersonFilterSet
    register_kind = "people"
    page_title = gettext_lazy("人员名册")  # class attribute: translated per request

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["user"] = self.request.user
        return kwargs

    def get_queryset(self):
        return Person.objects.visible_to(self.request.user).select_related("department", "court")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if can(user, "add", Person):
            ctx["create_url_name"] = "org:person_create"
        if can(user, "import", Person):
            ctx["import_kind"] = "people"
        ctx["can_export"] = can(user, "export", Person)
        return ctx


class DepartmentListView(ExportGuardMixin, FilteredListView):
    export_model = Department
    table_class = DepartmentTable
    filterset_class = DepartmentFilterSet
    register_kind = "departments"
    page_title = gettext_lazy("部门")  # class attribute: translated per request

    def get_queryset(self):
        return Department.objects.visible_to(self.request.user).annotate(
            people_count=Count("people", filter=Q(people__left_on__isnull=True))).order_by("sort_order", "name")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if can(user, "add", Department):
            ctx["create_url_name"] = "org:department_create"
        if can(user, "import", Department):
            ctx["import_kind"] = "departments"
        ctx["can_export"] = can(user, "export", Department)
        return ctx


class CourtListView(ExportGuardMixin, FilteredListView):
    export_model = Court
    table_class = CourtTable
    filterset_class = CourtFilterSet
    register_kind = "courts"
    page_title = gettext_lazy("法院")  # class attribute: translated per request

    def get_queryset(self):
        return Court.objects.visible_to(self.request.user).select_related("parent")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_export"] = can(self.request.user, "export", Court)
        return ctx


person_list = permission_required("org.view_person")(PersonListView.as_view())
department_list = permission_required("org.view_departments")(DepartmentListView.as_view())
court_list = permission_required("org.view_courts")(CourtListView.as_view())


@object_permission(Person, "view")
def person_detail(request, pk: int):
    person = get_visible_or_404(Person.objects.select_related("department", "court"), request.user, pk=pk)
    history = person.assignments.select_related("department").order_by("-start")
    return render(request, "org/person_detail.html", {
        "person": person, "history": history, "can_edit": can(request.user, "change", person),
        "page_title": person.name,
        "breadcrumbs": [(_("人员名册"), reverse("org:person_list")), (person.name, None)],
    })


def _person_data(form: PersonForm) -> dict:
    data = {f: form.cleaned_data[f] for f in form.Meta.fields}
    return data


@permission_required("org.add_person")
def person_create(request):
    court = request.user.court
    form = PersonForm(request.POST or None, court=court)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, court=court, data=_person_data(form),
                                            moved_on=form.cleaned_data.get("moved_on"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("org:person_detail", pk=person.pk)
    return render(request, "org/person_form.html", {
        "form": form, "page_title": _("新增人员"),
        "breadcrumbs": [(_("人员名册"), reverse("org:person_list")), (_("新增人员"), None)]})


@object_permission(Person, "change")
def person_edit(request, pk: int):
    person = checked_object(request)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=Person.objects.get(pk=pk), data=_person_data(form),
                                   moved_on=form.cleaned_data.get("moved_on"),
                                   expected_version=form.cleaned_data.get("loaded_version"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("org:person_detail", pk=pk)
    return render(request, "org/person_form.html", {
        "form": form, "person": person, "page_title": _("编辑人员"),
        "breadcrumbs": [(_("人员名册"), reverse("org:person_list")),
                        (person.name, reverse("org:person_detail", args=[pk])), (_("编辑"), None)]})


def _department_form(request, pk: int | None = None):
    instance = get_visible_or_404(Department.objects.all(), request.user, pk=pk) if pk else None
    form = DepartmentForm(request.POST or None, instance=instance, court=request.user.court)
    if request.method == "POST" and form.is_valid():
        try:
            services.department_save(actor=request.user, department=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("org:department_list")
    title = _("编辑部门") if pk else _("新增部门")
    return render(request, "org/department_form.html", {
        "form": form, "page_title": title,
        "breadcrumbs": [(_("部门"), reverse("org:department_list")), (title, None)]})


@permission_required("org.add_department")
def department_create(request):
    return _department_form(request)


@object_permission(Department, "change")
def department_edit(request, pk: int):
    return _department_form(request, pk)


class OrgTreeView(TemplateView):
    """Court → departments → people, with counts."""

    template_name = "org/tree.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        people = Person.objects.visible_to(user).in_service().order_by("-is_leadership", "post", "name")
        # inactive departments still appear while someone in service is in them, so that the court's
        # total is the sum of its departments (and matches the roster it links to)
        departments = (Department.objects.visible_to(user)
                       .filter(Q(active=True)
                               | Q(id__in=people.filter(department__isnull=False).values("department_id")))
                       .order_by("sort_order", "name")
                       .prefetch_related(Prefetch("people", queryset=people, to_attr="staff")))
        courts = Court.objects.visible_to(user).filter(id__in=departments.values("court_id"))
        tree = []
        for court in courts:
            deps = [d for d in departments if d.court_id == court.pk]
            unassigned = [p for p in people if p.court_id == court.pk and p.department_id is None]
            tree.append({"court": court, "departments": deps, "unassigned": unassigned,
                         "count": sum(len(d.staff) for d in deps) + len(unassigned)})
        ctx.update(tree=tree, page_title=_("组织架构"), breadcrumbs=[(_("组织架构"), None)])
        return ctx


org_tree = permission_required("org.view_tree")(OrgTreeView.as_view())
