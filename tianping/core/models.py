"""Shared model machinery: timestamps, court ownership, the audit trail.

Every business record belongs to one court (`CourtScopedModel`). Who may see which rows is decided by
one queryset method, `Model.objects.visible_to(user)`; the default here is "records of the courts whose
business data the user may read" (see tianping.core.scope); apps narrow it per model.
"""

from __future__ import annotations

from typing import Any, Self, TypeVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tianping.core.policy import PolicyQuerySet

_M = TypeVar("_M", bound=models.Model)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class CourtScopedQuerySet(PolicyQuerySet[_M]):
    """Rows of the courts a user may read. `visible_to(user, action)` first asks the app's policy whether the
    action is allowed at all (tianping.core.policy), then narrows by `scoped_to`; apps narrow `scoped_to` per
    role."""

    court_field = "court"

    def scoped_to(self, user: Any, action: str = "view") -> Self:
        from tianping.core.scope import readable_court_ids

        ids = readable_court_ids(user)
        if ids is None:
            return self.all()
        return self.filter(**{f"{self.court_field}_id__in": ids})


class IdempotencyKey(models.Model):
    """A create form's one-time token, claimed by the first submission that used it: a re-posted or
    double-clicked form finds the token taken and is sent to the record the first submission made."""

    token = models.CharField(_("令牌"), max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    result_url = models.CharField(_("结果地址"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("表单提交令牌")
        verbose_name_plural = _("表单提交令牌")

    def __str__(self) -> str:
        return self.token


class CourtScopedModel(TimeStampedModel):
    court = models.ForeignKey("org.Court", verbose_name=_("法院"), on_delete=models.PROTECT,
                              related_name="+")

    objects = CourtScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One entry of the append-only audit trail: who did what to which record, when and from where.

    Entries are chained: `entry_hash` covers the previous entry's hash and this entry's content, so
    a hand-edited or deleted entry breaks the chain (`manage.py audit_verify`).
    """

    occurred_at = models.DateTimeField(_("时间"), db_index=True)
    # DO_NOTHING: the trail is append-only, so deleting an account must not rewrite its entries (the name
    # stays in actor_name). Accounts are disabled, not deleted.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    actor_roles = models.CharField(_("角色"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=40, blank=True)
    event = models.CharField(_("事件"), max_length=60, db_index=True)
    court_id_value = models.BigIntegerField(_("法院"), null=True, blank=True, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更"), default=dict, blank=True)
    message = models.TextField(_("说明"), blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # which key of TIANPING_AUDIT_KEY made entry_hash (0: the development key; NULL: an entry from before keys)
    key_version = models.PositiveSmallIntegerField(_("密钥版本"), null=True, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.event} {self.object_repr}"


class AuditChainHead(models.Model):
    """The head of the audit hash chain (one row): the last entry's id and hash, and the anchor left by the
    last purge. Writers lock this row, so two concurrent entries never chain onto the same predecessor, and
    `audit_verify` detects entries removed from the end of the chain."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)
    anchor_id = models.BigIntegerField(default=0, help_text="id of the last purged entry")
    anchor_hash = models.CharField(max_length=64, blank=True, help_text="hash of the last purged entry")

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.last_id} {self.last_hash[:12]}"
