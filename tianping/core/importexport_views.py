"""The import pages every register shares: upload → preview (counts and every problem) → commit, the
template download and the error report download. Large files run in the background with a progress bar
(htmx polls `import_progress`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tianping.core.importexport import (
    FileError,
    _infer_parser,
    check_xlsx_sizes,
    column_choices,
    parse_bool,
    parse_date,
)
from tianping.core.importexport_jobs import (
    ALLOWED_SUFFIXES,
    STATUS_PREVIEWED,
    job_create,
    job_error_report,
    job_load,
    job_start,
)
from tianping.core.policy import permission_for
from tianping.core.registers import Register, get_register

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBLEMS_ON_SCREEN = 500


def _register_for(request: HttpRequest, kind: str) -> Register:
    try:
        reg = get_register(kind)
    except KeyError:
        raise Http404 from None
    if not reg.can_import(request.user):
        raise PermissionDenied
    if reg.court_scoped and not getattr(request.user, "court_id", None):
        raise PermissionDenied
    return reg


def may_import(user: Any, kind: str, **_url: Any) -> bool:
    """The import pages' permission: the register's own import rule (`Register.can_import`); 404 for an
    unknown register."""
    try:
        reg = get_register(kind)
    except KeyError:
        raise Http404 from None
    return reg.can_import(user) and (not reg.court_scoped or bool(getattr(user, "court_id", None)))


import_permission = permission_for(may_import, describe="the register's import rule (Register.can_import)")


def _list_url(reg: Register) -> str | None:
    name = reg.extra.get("list_url_name")
    if not name:
        return None
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _breadcrumbs(reg: Register, *more: Any) -> Any:
    crumbs = []
    list_url = _list_url(reg)
    if list_url:
        crumbs.append((reg.title, list_url))
    crumbs.append((_("导入%(title)s") % {"title": reg.title}, reverse("core:import_start", args=[reg.kind])))
    crumbs.extend(more)
    return crumbs


def _download(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("选择文件"),
                           help_text=gettext_lazy("支持 .xlsx（Excel、WPS、LibreOffice）和 .csv（UTF-8 或 GBK 编码）。"),
                           widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix == ".xls":
            raise forms.ValidationError(_("不支持旧版 .xls 文件：请在 Excel/WPS 中“另存为” .xlsx 后再上传。"))
        if suffix not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(_("文件类型不对：请上传 .xlsx 或 .csv 文件（现为“%(s)s”）。")
                                        % {"s": suffix or _("无扩展名")})
        limit = settings.TIANPING_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(_("文件太大（%(size).1f MB）：单个文件不能超过 %(limit)d MB，请拆分后分批导入。")
                                        % {"size": upload.size / 1048576, "limit": limit // 1048576})
        if upload.size == 0:
            raise forms.ValidationError(_("文件是空的，请检查后重新上传。"))
        head = upload.read(4)
        upload.seek(0)
        if suffix == ".xlsx" and head != b"PK\x03\x04":
            raise forms.ValidationError(_("该文件不是有效的 .xlsx 文件（可能是改了扩展名的其他文件）：请用 Excel/WPS 另存为 .xlsx。"))
        if suffix == ".xlsx":
            try:
                check_xlsx_sizes(upload.temporary_file_path() if hasattr(upload, "temporary_file_path") else upload)
            except FileError as exc:
                raise forms.ValidationError(str(exc)) from None
            finally:
                upload.seek(0)
        if suffix == ".csv" and b"\x00" in head:
            raise forms.ValidationError(_("该文件不是文本格式的 CSV：请用 Excel/WPS 另存为 .csv 或 .xlsx。"))
        return upload


def _columns_help(reg: Register) -> list[dict[str, Any]]:
    rows = []
    for col in reg.columns:
        parser = _infer_parser(reg, col)
        choices = column_choices(reg, col)
        if col.text:
            fmt = _("文本")
        elif parser is parse_date:
            fmt = _("日期，如 2016-05-03、2016/5/3、2016年5月3日")
        elif parser is parse_bool:
            fmt = _("是 / 否")
        elif choices:
            fmt = "、".join(choices)
        else:
            fmt = ""
        rows.append({"header": col.header, "required": col.required, "format": fmt, "help": col.help,
                     "key": col.field in reg.natural_key})
    return rows


@import_permission
def import_start(request: HttpRequest, kind: str) -> Any:
    reg = _register_for(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        court = getattr(request.user, "court", None) if reg.court_scoped else None
        job = job_create(kind=kind, user=request.user, court=court, upload=form.cleaned_data["file"])
        job_start(job, "preview")
        return redirect("core:import_job", kind=kind, job_id=job.id)
    return render(request, "core/import_start.html", {
        "reg": reg, "form": form, "columns": _columns_help(reg), "list_url": _list_url(reg),
        "key_headers": "、".join(c.header for c in reg.columns if c.field in reg.natural_key),
        "page_title": _("导入%(title)s") % {"title": reg.title},
        "breadcrumbs": _breadcrumbs(reg)[:-1] + [(_("导入%(title)s") % {"title": reg.title}, None)],
    })


@import_permission
def import_template(request: HttpRequest, kind: str) -> Any:
    from tianping.core.importexport import write_template

    reg = _register_for(request, kind)
    return _download(write_template(reg), _("%(title)s导入模板.xlsx") % {"title": reg.title})


def _job_for(request: HttpRequest, kind: str, job_id: str) -> Any:
    reg = _register_for(request, kind)
    job = job_load(job_id)
    if job is None or job.kind != kind or job.state.get("user_id") != request.user.pk:
        raise Http404  # another person's upload is not visible, not even its existence
    return reg, job


def _job_context(reg: Any, job: Any) -> dict[str, Any]:
    result = job.result
    problems = result.problems if result else []
    return {
        "reg": reg, "job": job, "result": result, "problems": problems[:PROBLEMS_ON_SCREEN],
        "problems_more": max(0, len(problems) - PROBLEMS_ON_SCREEN), "list_url": _list_url(reg),
        "bad_rows": len(result.bad_rows) if result else 0,
        "can_commit": job.status == STATUS_PREVIEWED and result is not None and result.ok,
    }


@import_permission
def import_job(request: HttpRequest, kind: str, job_id: str) -> Any:
    reg, job = _job_for(request, kind, job_id)
    ctx = _job_context(reg, job)
    ctx.update(page_title=_("导入%(title)s") % {"title": reg.title},
               breadcrumbs=_breadcrumbs(reg, (job.state["filename"], None)))
    return render(request, "core/import_job.html", ctx)


@import_permission
def import_progress(request: HttpRequest, kind: str, job_id: str) -> Any:
    """The progress fragment htmx polls; once the job has finished the whole page reloads."""
    reg, job = _job_for(request, kind, job_id)
    response = render(request, "core/import_progress.html", _job_context(reg, job))
    if job.finished:
        response["HX-Refresh"] = "true"
    return response


@import_permission
@require_POST
def import_commit(request: HttpRequest, kind: str, job_id: str) -> Any:
    reg, job = _job_for(request, kind, job_id)
    result = job.preview
    if job.status != STATUS_PREVIEWED or result is None or not result.ok:
        # A second click, a stale tab or a preview with problems: nothing to commit.
        return redirect("core:import_job", kind=kind, job_id=job_id)
    # Two clicks (or two tabs) must not start two commits of one file: claim the job atomically.
    try:
        os.close(os.open(job.folder / "commit.claimed", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return redirect("core:import_job", kind=kind, job_id=job_id)
    job.update(commit_requested_at=timezone.now().isoformat())
    job_start(job, "commit")
    return redirect("core:import_job", kind=kind, job_id=job_id)


@import_permission
def import_report(request: HttpRequest, kind: str, job_id: str) -> Any:
    reg, job = _job_for(request, kind, job_id)
    if job.result is None:
        raise Http404
    stem = Path(job.state["filename"]).stem
    return _download(job_error_report(job), _("%(name)s-错误报告.xlsx") % {"name": stem})
