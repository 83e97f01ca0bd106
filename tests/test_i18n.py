"""Every app's English catalogue is complete, and pages switch to English.

The catalogue tests cover EVERY app under tianping/: a msgid with an empty or fuzzy msgstr fails with the
app and the msgid named, and so does a Chinese string in the code that the catalogue does not have yet
(run `cd tianping/<app> && ../../.venv/bin/django-admin makemessages -l en`, then fill the msgstr)."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
APPS = sorted(p.parent.name for p in (ROOT / "tianping").glob("*/apps.py"))
PLACEHOLDER = re.compile(r"%\(\w+\)")
TRANSLATABLE = re.compile(r"""(?:\b_|gettext(?:_lazy)?|ngettext(?:_lazy)?|pgettext(?:_lazy)?)"""
                          r"""\(\s*["'][^"']*[\u4e00-\u9fff]"""
                          r"""|\{%\s*(?:translate|trans|blocktranslate|blocktrans)\b""")


def parse_po(text: str) -> list[dict]:
    """Entries of a .po file: {"msgid", "msgid_plural", "msgstr": [..], "fuzzy", "obsolete", "line"}."""
    entries: list[dict] = []
    entry: dict | None = None
    key = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            entry, key = None, None
            continue
        if entry is None:
            entry = {"msgid": "", "msgid_plural": None, "msgstr": {}, "fuzzy": False, "obsolete": False,
                     "line": lineno}
            entries.append(entry)
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry["fuzzy"] = entry["fuzzy"] or "fuzzy" in line
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            key, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if key.startswith("msgstr"):
                entry["msgstr"].setdefault(key, "")
            else:
                entry[key] = ""
        if key.startswith("msgstr"):
            entry["msgstr"][key] += value
        else:
            entry[key] = (entry.get(key) or "") + value
    return entries


def catalogue(app: str) -> Path:
    return ROOT / "tianping" / app / "locale" / "en" / "LC_MESSAGES" / "django.po"


def uses_translations(app: str) -> bool:
    folder = ROOT / "tianping" / app
    for path in [*folder.rglob("*.py"), *folder.rglob("*.html"), *folder.rglob("*.txt")]:
        if "tests" in path.parts or "migrations" in path.parts or "locale" in path.parts:
            continue
        if TRANSLATABLE.search(path.read_text(encoding="utf-8", errors="replace")):
            return True
    return False


def test_parser_reads_plurals_fuzzy_and_continuations():
    text = ('msgid ""\nmsgstr ""\n"Language: en\\n"\n\n#, fuzzy\nmsgid "甲"\nmsgstr "A"\n\n'
            'msgid "共 %(n)s 条"\nmsgid_plural "共 %(n)s 条"\nmsgstr[0] "%(n)s row"\nmsgstr[1] ""\n\n'
            'msgid ""\n"长"\n"文本"\nmsgstr ""\n"long "\n"text"\n')
    entries = parse_po(text)
    assert [e["msgid"] for e in entries] == ["", "甲", "共 %(n)s 条", "长文本"]
    assert entries[1]["fuzzy"] and entries[1]["msgstr"] == {"msgstr": "A"}
    assert entries[2]["msgstr"] == {"msgstr[0]": "%(n)s row", "msgstr[1]": ""}
    assert entries[3]["msgstr"]["msgstr"] == "long text"


@pytest.mark.parametrize("app", APPS)
def test_catalogue_has_no_empty_or_fuzzy_msgstr(app):
    path = catalogue(app)
    if not path.exists():
        assert not uses_translations(app), (
            f"app {app!r} has Chinese strings for translation but no English catalogue: run "
            f"`cd tianping/{app} && ../../.venv/bin/django-admin makemessages -l en` and fill every msgstr")
        return
    problems = []
    for e in parse_po(path.read_text(encoding="utf-8")):
        if e["msgid"] == "" or e["obsolete"]:
            continue
        if e["fuzzy"]:
            problems.append(f"fuzzy: {e['msgid']!r} (line {e['line']})")
        elif not e["msgstr"] or any(not v.strip() for v in e["msgstr"].values()):
            problems.append(f"empty: {e['msgid']!r} (line {e['line']})")
        elif any(v == e["msgid"] or v == e["msgid_plural"] for v in e["msgstr"].values()):
            problems.append(f"copied, not translated: {e['msgid']!r} (line {e['line']})")
        elif any(set(PLACEHOLDER.findall(v)) != set(PLACEHOLDER.findall(e["msgid"])) for v in e["msgstr"].values()):
            problems.append(f"placeholders differ: {e['msgid']!r} (line {e['line']})")
    assert not problems, f"tianping/{app}/locale/en/LC_MESSAGES/django.po:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("app", [a for a in APPS if catalogue(a).exists()])
def test_catalogue_covers_every_string_in_the_code(app, tmp_path):
    """makemessages on a copy of the app finds no msgid the committed catalogue lacks."""
    src = ROOT / "tianping" / app
    copy = tmp_path / app
    shutil.copytree(src, copy, ignore=shutil.ignore_patterns("locale", "tests", "__pycache__", "*.pyc"))
    (copy / "locale").mkdir()
    admin = Path(sys.executable).with_name("django-admin")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}  # as run from the app folder
    done = subprocess.run([str(admin), "makemessages", "-l", "en", "-v0"], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    fresh = {e["msgid"] for e in parse_po((copy / "locale/en/LC_MESSAGES/django.po").read_text("utf-8"))}
    committed = {e["msgid"] for e in parse_po(catalogue(app).read_text("utf-8")) if not e["obsolete"]}
    missing = sorted(fresh - committed - {""})
    assert not missing, (f"tianping/{app}: strings missing from the English catalogue (run makemessages and "
                         f"translate them): {missing[:20]}")


EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}


def _eager_calls_at_import(tree: ast.Module) -> list[int]:
    """Lines where a non-lazy gettext runs at import time (module or class body, not inside a function)."""
    names = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
             and node.module == "django.utils.translation" for alias in node.names if alias.name in EAGER}
    lines: list[int] = []

    def visit(node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
            lines.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return lines


def test_no_eager_gettext_at_import_time():
    """`page_title = _("…")` in a class body with `_ = gettext` is translated once, at import, in Chinese —
    the English page would keep the Chinese title. Class attributes and module constants need gettext_lazy."""
    found = []
    for path in sorted((ROOT / "tianping").rglob("*.py")):
        if {"tests", "migrations"} & set(path.parts) or path.name == "settings.py":
            continue
        for line in _eager_calls_at_import(ast.parse(path.read_text(encoding="utf-8"))):
            found.append(f"{path.relative_to(ROOT)}:{line}")
    assert not found, "gettext (not gettext_lazy) evaluated at import time: " + ", ".join(found)


def test_eager_gettext_detector():
    tree = ast.parse("from django.utils.translation import gettext as _\nX = _('a')\n"
                     "class V:\n    t = _('b')\n    def f(self):\n        return _('c')\n")
    assert _eager_calls_at_import(tree) == [2, 4]


def _translations_by_msgid() -> dict[str, dict[str, tuple]]:
    found: dict[str, dict[str, tuple]] = {}
    for app in APPS:
        if catalogue(app).exists():
            for e in parse_po(catalogue(app).read_text("utf-8")):
                if e["msgid"] and not e["obsolete"] and not e["fuzzy"]:
                    # pgettext("context", msgid) is a message of its own (gettext keys it "context\x04msgid")
                    key = f"{e['msgctxt']}\x04{e['msgid']}" if e.get("msgctxt") else e["msgid"]
                    if e.get("msgid_plural"):
                        key += " (plural)"  # "%(n)s 人" with ngettext and with gettext are two messages
                    found.setdefault(key, {})[app] = tuple(sorted(e["msgstr"].items()))
    return found


def test_same_msgid_same_english_across_apps():
    """All catalogues merge into one: for a msgid in several apps, the app listed first in INSTALLED_APPS
    wins everywhere, so every app must say the same English for it (else a page shows another app's word).
    Align the texts, or use pgettext("context", ...) where the word means different things (件: cases in
    trials, disputes in mediation)."""
    found = _translations_by_msgid()
    differing = [f"{msgid!r}: " + ", ".join(f"{a}={dict(t)}" for a, t in sorted(by_app.items()))
                 for msgid, by_app in sorted(found.items()) if len(set(by_app.values())) >= 2]
    assert not differing, "msgids translated differently in different apps:\n  " + "\n  ".join(differing)


def test_same_english_check_notices_a_difference(tmp_path, monkeypatch):
    """The check above can fail: two catalogues saying different English for one msgid are reported."""
    po = 'msgid "启用"\nmsgstr "{}"\n\nmsgctxt "x"\nmsgid "件"\nmsgstr "{}"\n'
    paths = {"core": tmp_path / "core.po", "org": tmp_path / "org.po"}
    paths["core"].write_text(po.format("Active", "cases"), "utf-8")
    paths["org"].write_text(po.format("Enabled", "disputes"), "utf-8")
    monkeypatch.setattr(sys.modules[__name__], "APPS", ["core", "org"])
    monkeypatch.setattr(sys.modules[__name__], "catalogue", lambda app: paths[app])
    found = _translations_by_msgid()
    assert set(found["启用"].values()) == {(("msgstr", "Active"),), (("msgstr", "Enabled"),)}
    assert "x\x04件" in found and "件" not in found


@pytest.mark.django_db
def test_page_in_english_shows_english_menu(court, make_user, client_for):
    c = client_for(make_user(court, "party_office", "member"))
    r = c.post(reverse("set_language"), {"language": "en", "next": reverse("org:tree")})
    assert r.status_code == 302
    html = c.get(reverse("org:tree")).content.decode()
    assert '<html lang="en">' in html
    for label in ("Organisation and staff", "Organisation chart", "Staff roster", "Home", "Sign out"):
        assert label in html, label
    for label in ("组织架构", "人员名册", "退出登录"):
        assert label not in html, label
    roster = c.get(reverse("org:person_list")).content.decode()
    assert '<h1 class="h4 mb-0">Staff roster</h1>' in roster and "Export" in roster
    c.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    html = c.get(reverse("org:tree")).content.decode()
    assert "组织架构" in html and "Organisation chart" not in html


@pytest.mark.django_db
def test_english_validation_message(court, make_user, client_for):
    c = client_for(make_user(court, "party_office"))
    c.cookies["django_language"] = "en"
    r = c.post(reverse("org:person_create"), {"name": "x", "id_number": "123"})
    assert "An ID number has 18 characters (this one has 3)" in r.content.decode()


@pytest.mark.django_db
def test_chinese_by_default_whatever_the_browser_asks(court, make_user, client_for):
    c = client_for(make_user(court, "party_office"))
    html = c.get(reverse("org:tree"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in html and "组织架构" in html
    c.cookies["django_language"] = "en"
    assert "Organisation chart" in c.get(reverse("org:tree")).content.decode()
    c.cookies["django_language"] = "fr"  # not offered: back to Chinese
    assert "组织架构" in c.get(reverse("org:tree")).content.decode()
