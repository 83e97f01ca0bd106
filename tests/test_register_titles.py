"""A register's title is part of pages in either language ("Import 党员" was half English, issue 12): every
register's title is translatable, and the import page of the party members reads "Import Party member"."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_register_title_has_english():
    from tianping.core.registers import all_registers

    with translation.override("en"):
        untranslated = {kind: str(reg.title) for kind, reg in all_registers().items() if CJK.search(str(reg.title))}
    assert untranslated == {}
    with translation.override("zh-hans"):
        assert str(all_registers()["members"].title) == "党员"


@pytest.mark.django_db
def test_import_page_title_in_english(court, make_user, client_for):
    c = client_for(make_user(court, "party_office"))
    c.cookies["django_language"] = "en"
    resp = c.get(reverse("core:import_start", args=["members"]))
    assert resp.status_code == 200
    assert resp.context["page_title"] == "Import Party member"


def test_every_register_description_has_english():
    from tianping.core.registers import all_registers

    with translation.override("en"):
        untranslated = {kind: str(reg.description) for kind, reg in all_registers().items()
                        if CJK.search(str(reg.description))}
    assert untranslated == {}


@pytest.mark.django_db
def test_import_page_description_and_template_name_in_english(court, make_user, client_for):
    from urllib.parse import unquote

    c = client_for(make_user(court, "party_office"))
    c.cookies["django_language"] = "en"
    html = c.get(reverse("core:import_start", args=["members"])).content.decode()
    assert "Party member roster: rows are matched by ID number" in html and "党员名册：" not in html
    resp = c.get(reverse("core:import_template", args=["members"]))
    assert resp.status_code == 200
    assert unquote(resp["Content-Disposition"]).endswith("Party member import template.xlsx")
    c.cookies["django_language"] = "zh-hans"
    resp = c.get(reverse("core:import_template", args=["members"]))
    assert unquote(resp["Content-Disposition"]).endswith("党员导入模板.xlsx")
