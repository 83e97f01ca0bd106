"""Entries of a member's timeline: honours received and pioneer posts taken up."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from tianping.core import registry
from tianping.honours.models import Honour, PostHolder


@registry.timeline.register(order=35)
def timeline_entries(person: Any, user: Any) -> list[dict[str, Any]]:
    out = [{"date": h.awarded_on, "kind": _("表彰"),
            "label": _("获%(l)s表彰：%(n)s（%(i)s）") % {"l": h.get_level_display(), "n": h.name, "i": h.issuer},
            "url": reverse("honours:honour_detail", args=[h.pk])}
           for h in Honour.objects.visible_to(user).filter(person=person).order_by("-awarded_on")[:100]]
    out += [{"date": h.start, "kind": _("党员先锋岗"), "label": _("上岗：%(p)s") % {"p": h.post.name},
             "url": reverse("honours:post_detail", args=[h.post_id])}
            for h in PostHolder.objects.visible_to(user).filter(person=person).select_related("post")[:50]]
    return out
