"""Properties of the whole codebase that keep the one authorisation layer the only one (issue 11):

- no role named by its code outside the enum and the policy modules;
- `tianping.core` imports no domain app;
- only services write to the database (views, forms, selectors, template tags, importers … call services);
- every model with `visible_to` declares its "view" permission, every menu item a declared permission.

Each checker is tested against a small bad example, so a checker that cannot fail is caught too."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tianping"
DOMAIN_APPS = ("org", "accounts", "party", "partylife", "trials", "mediation")


def _python_files(*, skip_tests: bool = True) -> list[Path]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "migrations" in parts or (skip_tests and ("tests" in parts or path.name.startswith("test_"))):
            continue
        out.append(path)
    return out


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return path.name


# --- 1. no role string literal --------------------------------------------------------------------------------
def _role_codes() -> frozenset[str]:
    from tianping.core.roles import Role

    return frozenset(str(r.value) for r in Role)


def _is_role_list(node: ast.AST, codes: frozenset[str]) -> bool:
    elts = getattr(node, "elts", None)
    return bool(elts) and all(isinstance(e, ast.Constant) and e.value in codes for e in elts)


def _callee(node: ast.Call) -> str:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def role_literals(source: str, codes: frozenset[str] | None = None) -> list[tuple[int, str]]:
    """(line, code) of each role code written as a string where it is used as a role: compared (`== "member"`,
    `"leader" in roles`), in a list/set/tuple of role codes, passed to a function about roles (`has_role(u,
    "leader")`, `_require(u, "auditor")`) or to a `role=`/`roles=` keyword. Field names that happen to equal a
    role code ("member", "mediator") elsewhere are not roles."""
    codes = codes if codes is not None else _role_codes()
    tree = ast.parse(source)
    found: set[tuple[int, str]] = set()

    def note(node: ast.AST) -> None:
        if isinstance(node, ast.Constant) and node.value in codes:
            found.add((node.lineno, node.value))
        elif _is_role_list(node, codes):
            for e in node.elts:  # type: ignore[attr-defined]
                note(e)

    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for operand in (node.left, *node.comparators):
                note(operand)
        elif isinstance(node, ast.List | ast.Set | ast.Tuple) and _is_role_list(node, codes):
            note(node)
        elif isinstance(node, ast.Call):
            name = _callee(node).lower()
            if "role" in name or "require" in name:
                for arg in node.args:
                    note(arg)
            for kw in node.keywords:
                if kw.arg and "role" in kw.arg.lower():
                    note(kw.value)
    return sorted(found)


def _may_name_roles(path: Path) -> bool:
    rel = path.relative_to(PACKAGE)
    return rel == Path("core/roles.py") or path.name == "policy.py"


def test_no_role_string_literal_outside_the_enum_and_the_policies():
    codes = _role_codes()
    offenders = [f"{_rel(path)}:{line}: {code!r} (write Role.{code.upper()})"
                 for path in _python_files() if not _may_name_roles(path)
                 for line, code in role_literals(path.read_text(encoding="utf-8"), codes)]
    assert not offenders, "role codes written as strings:\n  " + "\n  ".join(offenders)


def test_the_role_literal_checker_finds_roles_and_spares_field_names():
    codes = frozenset({"member", "leader", "party_office", "auditor"})
    source = (
        'if "member" in roles: pass\n'                           # 1 compared
        'ALLOWED = ("leader", "party_office")\n'                 # 2 a list of roles
        'has_role(user, "party_office")\n'                       # 3 a function about roles
        'UserRole.objects.create(user=u, role="auditor")\n'      # 4 a role= keyword
        'qs.select_related("member", "court")\n'                 # 5 a field name
        'ordering = ["member", "occurred_on"]\n'                 # 6 field names
        'ctx = {"member": member}\n'                             # 7 a context key
    )
    assert role_literals(source, codes) == [(1, "member"), (2, "leader"), (2, "party_office"),
                                            (3, "party_office"), (4, "auditor")]


# --- 2. core stands alone ---------------------------------------------------------------------------------------
def domain_imports(source: str) -> list[tuple[int, str]]:
    """(line, module) of each import of a domain app (also inside functions, and import_module("…"))."""
    out = []
    for node in ast.walk(ast.parse(source)):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module] + [f"{node.module}.{a.name}" for a in node.names if node.module == "tianping"]
        elif isinstance(node, ast.Call) and _callee(node) in {"import_module", "import_string", "include"} \
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            modules = [node.args[0].value]
        for module in modules:
            parts = module.split(".")
            if len(parts) >= 2 and parts[0] == "tianping" and parts[1] in DOMAIN_APPS:
                out.append((node.lineno, module))
    return out


def test_core_imports_no_domain_app():
    core = PACKAGE / "core"
    offenders = [f"{_rel(path)}:{line}: {module}" for path in _python_files() if core in path.parents
                 for line, module in domain_imports(path.read_text(encoding="utf-8"))]
    assert not offenders, "tianping/core imports a domain app (use tianping.core.registry):\n  " + \
        "\n  ".join(offenders)


def test_the_import_checker_finds_domain_imports():
    source = ("import os\nfrom tianping.core.roles import Role\nfrom tianping.org.models import Court\n"
              "def f():\n    from tianping import party\n    import tianping.trials.models\n"
              "    import_module('tianping.mediation.home')\n")
    assert domain_imports(source) == [(3, "tianping.org.models"), (5, "tianping.party"),
                                      (6, "tianping.trials.models"), (7, "tianping.mediation.home")]


# --- 3. only services write --------------------------------------------------------------------------------------
WRITE_METHODS = {"save", "create", "update", "delete", "bulk_create", "bulk_update", "get_or_create",
                 "update_or_create"}
# receivers that are not models: a workbook, a document, a QR image, the session, the cache, storage, files
NOT_MODELS = {"wb", "workbook", "out", "doc", "document", "buf", "buffer", "img", "image", "qr", "session",
              "request.session", "cache", "default_storage", "storage", "zf", "h", "hasher"}
QUERYSET_HINTS = (".objects", "_manager", ".filter(", ".exclude(", ".all()", ".select_for_update(", "visible_to(",
                  "scoped_to(", "_set.")

# Files that may write although they are not services, each with its reason.
WRITE_ALLOWLIST: dict[str, str] = {
    "tianping/core/audit.py": "the audit trail's own writer, called inside every service's transaction",
    "tianping/core/actions.py": "claims a form's one-time token in the same transaction as the service call",
    "tianping/core/management/commands/seed_demo.py": "seeding the demo court",
    "tianping/core/importexport_jobs.py": "an import job's state is a JSON file in the data folder, not a row",
    "tianping/trials/rollups.py": "the case rollups are derived rows (like the audit trail): written only inside the "
                                  "transaction of the case service that changed the cases, or by rebuild_rollups "
                                  "(called from services, the demo and the rebuild command)",
}


def _is_write_location(path: Path) -> bool:
    """Where writing is the job: services, demo generators."""
    rel = path.relative_to(PACKAGE)
    return path.name == "services.py" or "services" in rel.parts[:-1] or path.name == "demo.py"


def model_writes(source: str) -> list[tuple[int, str]]:
    """(line, call) of each call that writes to the database: `.save()` / `.delete()` on anything but a known
    non-model (a workbook, the session …), `.update()` on a queryset, and the creating manager methods.
    A model's own `save()`/`delete()` override calling `super()` is the model, not a write."""
    tree = ast.parse(source)
    out = []
    overrides: set[int] = set()
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef) and fn.name in {"save", "delete"}:
            for node in ast.walk(fn):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                        and isinstance(node.func.value, ast.Call) and _callee(node.func.value) == "super":
                    overrides.add(id(node))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        if method not in WRITE_METHODS or id(node) in overrides:
            continue
        receiver = ast.unparse(node.func.value)
        if receiver in NOT_MODELS or receiver.startswith(("segno.", "qrcode.")):
            continue
        if method == "update" and not any(h in receiver for h in QUERYSET_HINTS):
            continue  # dict.update / set.update
        if method == "create" and not any(h in receiver for h in QUERYSET_HINTS + (".objects",)):
            continue  # Calendar.create() and the like; a model is created through its manager
        out.append((node.lineno, f"{receiver}.{method}()"))
    return out


def test_only_services_write():
    offenders = []
    for path in _python_files():
        rel = _rel(path)
        if _is_write_location(path) or rel in WRITE_ALLOWLIST:
            continue
        offenders += [f"{rel}:{line}: {call}" for line, call in model_writes(path.read_text(encoding="utf-8"))]
    assert not offenders, "model writes outside services (move them into <app>/services.py):\n  " + \
        "\n  ".join(offenders)


def test_the_allowlist_names_existing_files_with_reasons():
    for rel, reason in WRITE_ALLOWLIST.items():
        assert (ROOT / rel).exists(), f"{rel} is gone: drop it from WRITE_ALLOWLIST"
        assert len(reason) > 20, f"{rel}: say why it may write"


def test_the_write_checker_finds_writes_and_spares_other_objects():
    source = (
        "def view(request, obj, form):\n"
        "    obj.save()\n"                                        # 2
        "    Meeting.objects.create(title='x')\n"                 # 3
        "    Meeting.objects.filter(pk=1).update(title='y')\n"    # 4
        "    obj.delete()\n"                                      # 5
        "    form.save()\n"                                       # 6
        "    Tag.objects.get_or_create(name='t')\n"               # 7
        "    ctx.update({'a': 1})\n"                              # 8 a dict
        "    wb.save(buffer)\n"                                   # 9 a workbook
        "    request.session.delete('k')\n"                       # 10 the session
        "class M(Model):\n"
        "    def save(self, *a, **k):\n"
        "        super().save(*a, **k)\n"                         # 13 the model's own save
    )
    assert [line for line, _c in model_writes(source)] == [2, 3, 4, 5, 6, 7]


# --- 4. every scoped model and every menu item asks a declared permission -------------------------------------
def _models_with_visible_to():
    from django.apps import apps

    return [m for m in apps.get_models()
            if m.__module__.startswith("tianping.") and hasattr(m._default_manager.all(), "visible_to")]


def test_every_model_with_visible_to_declares_view():
    from tianping.core.policy import DECLARED, perm_name

    missing = [perm_name(m, "view") for m in _models_with_visible_to() if perm_name(m, "view") not in DECLARED]
    assert not missing, "declare these in the app's policy.py: " + ", ".join(sorted(missing))


def test_there_are_models_with_visible_to():
    assert len(_models_with_visible_to()) > 10


def test_every_menu_item_has_a_declared_permission():
    from tianping.core.menu import all_groups
    from tianping.core.policy import DECLARED

    items = [(g.label, i) for g in all_groups() for i in g.items]
    assert items
    bad = [f"{i.url_name}: {i.perm or '(none)'}" for _g, i in items if i.perm not in DECLARED]
    assert not bad, "menu items without a declared permission (core.signed_in for any account):\n  " + \
        "\n  ".join(bad)


def test_object_permission_hands_its_checked_object_to_the_view(rf, court, make_user, django_assert_num_queries):
    """The decorator fetches the object once (scope, then permission); the view reads that same instance."""
    from tianping.core.policy import checked_object, object_permission
    from tianping.core.roles import Role
    from tianping.org.models import Person
    from tianping.org.tests.factories import PersonFactory

    person = PersonFactory(court=court)
    user = make_user(court, Role.PARTY_OFFICE)
    seen = []

    @object_permission(Person, "view")
    def view(request, pk):
        with django_assert_num_queries(0):
            seen.append(checked_object(request))
        return None

    request = rf.get("/")
    request.user = user
    view(request, pk=person.pk)
    assert seen[0].pk == person.pk and isinstance(seen[0], Person)
