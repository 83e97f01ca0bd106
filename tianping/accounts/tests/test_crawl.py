"""Crawl the demo site as each demo role — every internal link from the home page and the menu, breadth-first,
bounded — and assert that no full 18-digit ID number appears in any page or spreadsheet export the role can
reach without the personal-data permission."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter, deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import Client

from tianping.core.validators import id_birth_date, id_check_char

DEMO_USERS = ["admin", "security", "auditor", "president", "party_office", "secretary_shagou", "judge_demo",
              "trial_office", "mediator_demo", "zaozhuang"]
MAX_PAGES = 120
MAX_VARIANTS_PER_PATH = 2
SKIP = ("/static/", "/i18n/", "/media/", "/accounts/logout/", "/healthz")
LINK_RE = re.compile(r'(?:href|hx-get)="([^"]+)"')
ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dX])(?![0-9A-Za-z])")


def full_id_numbers(text: str) -> set[str]:
    """Valid GB 11643 numbers in the text (check character and birth date right)."""
    return {m for m in ID_RE.findall(text) if id_check_char(m[:17]) == m[17] and id_birth_date(m)}


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return " ".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist() if n.endswith(".xml"))


def crawl(client: Client) -> tuple[dict[str, set[str]], Counter]:
    """url -> full ID numbers found; and counts of what was fetched."""
    found: dict[str, set[str]] = {}
    stats: Counter = Counter()
    queue = deque(["/"])
    seen_urls: set[str] = set()
    variants: Counter = Counter()
    while queue and stats["pages"] + stats["exports"] < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        ctype = response.get("Content-Type", "")
        if response.status_code != 200:
            stats[f"status_{response.status_code}"] += 1
            continue
        if "spreadsheetml" in ctype:
            stats["exports"] += 1
            text = _xlsx_text(response.content)
        elif "text/html" in ctype or "json" in ctype or "text/csv" in ctype or "text/calendar" in ctype:
            stats["pages"] += 1
            text = response.content.decode("utf-8", "ignore")
        else:
            stats["other"] += 1
            continue
        ids = full_id_numbers(text)
        if ids:
            found[url] = ids
        if "text/html" not in ctype:
            continue
        for raw in LINK_RE.findall(text):
            link = urldefrag(urljoin(url, raw.replace("&amp;", "&")))[0]
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not link.startswith("/") or link.startswith(SKIP):
                continue
            if "pdf" in link or "docx" in link:
                continue  # documents are rendered from the same masked data; skipped to keep the crawl fast
            if link in seen_urls:
                continue
            if variants[parts.path] >= MAX_VARIANTS_PER_PATH:
                continue
            seen_urls.add(link)
            if "export=" in link:
                queue.appendleft(link)  # exports first: they are what leaks most easily
                continue
            variants[parts.path] += 1
            queue.append(link)
    return found, stats


@pytest.mark.slow
def test_no_full_id_number_reachable_without_permission(demo):
    from tianping.core.scope import can_export_personal, can_reveal_personal
    from tianping.org.models import Person, User

    assert Person.objects.filter(court=demo).count() > 100
    report = {}
    for username in DEMO_USERS:
        user = User.objects.get(username=username)
        # a page that crashes is its owner's bug (their tests catch it); here it only counts as unreachable
        client = Client(raise_request_exception=False)
        client.force_login(user)
        found, stats = crawl(client)
        report[username] = stats
        if can_export_personal(user):
            # the export permission holder may download full numbers (audited); pages must still be masked
            found = {url: ids for url, ids in found.items() if "export=" not in url}
        assert not found, f"{username} sees full ID numbers at {sorted(found)[:5]}"
        assert stats["pages"] >= 2, (username, stats)
    business = ["president", "party_office", "trial_office"]
    assert all(report[u]["pages"] >= 5 for u in business), report
    assert report["party_office"]["exports"] >= 1, report

    # the detector itself works: the audited reveal page (POST, with a reason) does show a full number
    office = User.objects.get(username="party_office")
    assert can_reveal_personal(office)
    client = Client()
    client.force_login(office)
    person = Person.objects.filter(court=demo).first()
    response = client.post(f"/security/reveal/person/{person.pk}/", {"reason": "核对人事档案"})
    assert full_id_numbers(response.content.decode()) == {person.id_number}
