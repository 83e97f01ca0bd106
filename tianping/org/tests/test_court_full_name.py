"""A court's full name for document headings: recorded, or derived from the higher courts."""

import pytest

from tianping.org.models import Court, CourtLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def shandong():
    high = Court.objects.create(code="鲁", name="山东省高级人民法院", level=CourtLevel.HIGH)
    mid = Court.objects.create(code="鲁04", name="枣庄市中级人民法院", level=CourtLevel.INTERMEDIATE, parent=high)
    return high, mid


@pytest.mark.parametrize(("code", "name", "expected"), [
    ("鲁0403", "薛城区人民法院", "山东省枣庄市薛城区人民法院"),
    ("鲁0481", "滕州市人民法院", "山东省滕州市人民法院"),  # a county-level city's court: the province only
    ("鲁0402", "枣庄市市中区人民法院", "山东省枣庄市市中区人民法院"),
    ("鲁0404", "山东省枣庄市峄城区人民法院", "山东省枣庄市峄城区人民法院"),  # already full
])
def test_basic_court_full_name_is_derived(shandong, code, name, expected):
    court = Court.objects.create(code=code, name=name, level=CourtLevel.BASIC, parent=shandong[1])
    assert court.formal_name == expected


def test_higher_courts_and_recorded_full_name(shandong):
    high, mid = shandong
    assert high.formal_name == "山东省高级人民法院"
    assert mid.formal_name == "山东省枣庄市中级人民法院"
    court = Court.objects.create(code="鲁0405", name="台儿庄区人民法院", level=CourtLevel.BASIC, parent=mid,
                                 full_name="山东省枣庄市台儿庄区人民法院")
    assert court.formal_name == "山东省枣庄市台儿庄区人民法院"
    assert Court.objects.create(code="鲁0406", name="山亭区人民法院").formal_name == "山亭区人民法院"  # no parents


def test_municipality_courts():
    high = Court.objects.create(code="京", name="北京市高级人民法院", level=CourtLevel.HIGH)
    mid = Court.objects.create(code="京03", name="北京市第三中级人民法院", level=CourtLevel.INTERMEDIATE, parent=high)
    basic = Court.objects.create(code="京0105", name="朝阳区人民法院", level=CourtLevel.BASIC, parent=mid)
    assert mid.formal_name == "北京市第三中级人民法院"
    assert basic.formal_name == "北京市朝阳区人民法院"
