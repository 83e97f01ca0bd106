"""Checks for uploaded files (meeting photos and PDFs, dispute materials): the type comes from the file's
first bytes, and the extension must agree, because a name alone proves nothing."""

from __future__ import annotations

import mimetypes
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

Kinds = list[tuple[bytes, str, set[str]]]
# first bytes → (content type, extensions that may carry it)
PHOTO_AND_PDF: Kinds = [
    (b"%PDF-", "application/pdf", {".pdf"}),
    (b"\x89PNG\r\n\x1a\n", "image/png", {".png"}),
    (b"\xff\xd8\xff", "image/jpeg", {".jpg", ".jpeg"}),
    (b"GIF87a", "image/gif", {".gif"}),
    (b"GIF89a", "image/gif", {".gif"}),
]
# pictures only (a branch's brand pictures)
PHOTOS = [kind for kind in PHOTO_AND_PDF if kind[1] != "application/pdf"]
# Office documents: .docx/.xlsx/.ofd are zip containers, .doc/.xls the older OLE compound files.
DOCUMENTS: Kinds = [
    (b"PK\x03\x04", "application/zip", {".docx", ".xlsx", ".ofd"}),
    (b"\xd0\xcf\x11\xe0", "application/x-ole-storage", {".doc", ".xls"}),
]
# evidence of a decision (a resolution, an approval): a scan, a photo or a document
PHOTO_PDF_AND_DOCUMENTS = PHOTO_AND_PDF + DOCUMENTS


def sniff_content_type(head: bytes, filename: str, *, kinds: Kinds = PHOTO_AND_PDF) -> str:
    """The content type from the file's first bytes; the extension must agree. ValidationError otherwise."""
    ext = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    for magic, ctype, exts in kinds:
        if head.startswith(magic):
            if ext not in exts:
                raise ValidationError(_("文件“%(f)s”的扩展名与内容不符（内容是 %(t)s），请改正扩展名后重新上传。")
                                      % {"f": filename, "t": ctype})
            return ctype
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP" and ext == ".webp":
        return "image/webp"
    if kinds is PHOTOS:
        raise ValidationError(_("文件“%(f)s”不是照片（JPG/PNG/GIF/WEBP），请转换后再上传。") % {"f": filename})
    if kinds is PHOTO_AND_PDF:
        raise ValidationError(_("文件“%(f)s”不是照片（JPG/PNG/GIF/WEBP）或 PDF，请转换后再上传。") % {"f": filename})
    raise ValidationError(_("文件“%(f)s”不是 PDF、图片或 Word/OFD 文档，请转换后再上传。") % {"f": filename})


def check_upload(upload: Any, *, max_bytes: int, kinds: Kinds = PHOTO_AND_PDF) -> str:
    """Refuse an empty, too large or mistyped upload with a message that says what to do; return its type."""
    if upload.size > max_bytes:
        raise ValidationError(_("文件“%(f)s”有 %(s).1f MB，超过 %(l).0f MB 的上限，请压缩后再上传。")
                              % {"f": upload.name, "s": upload.size / 1048576, "l": max_bytes / 1048576})
    if upload.size == 0:
        raise ValidationError(_("文件“%(f)s”是空文件。") % {"f": upload.name})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return sniff_content_type(head, upload.name, kinds=kinds)


def upload_response(file: Any, *, content_type: str | None = None, as_attachment: bool = True,
                    filename: str = "") -> HttpResponseBase:
    """The response that hands an uploaded file (a FieldFile under MEDIA_ROOT) to someone the view has already let
    through the policy. With TIANPING_X_ACCEL_REDIRECT set (production behind nginx, deploy/nginx-tianping.conf) the
    body is left to nginx: an empty response whose X-Accel-Redirect names the file under that internal location,
    which nginx serves only to such responses; otherwise the file is streamed by Django. A file the row names but the
    disk no longer holds (a restore without media, a hand-deleted file) answers 404, not a server error.
    Every view that serves an upload goes through here."""
    if not file or not file.storage.exists(file.name):
        raise Http404
    filename = filename or file.name.rsplit("/", 1)[-1]
    prefix = str(getattr(settings, "TIANPING_X_ACCEL_REDIRECT", "") or "")
    if not prefix:
        try:
            handle = file.open("rb")
        except FileNotFoundError:  # removed between the check and the open
            raise Http404 from None
        return FileResponse(handle, content_type=content_type, as_attachment=as_attachment, filename=filename)
    response = HttpResponse(content_type=content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream")
    response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(file.name)
    disposition = content_disposition_header(as_attachment, filename)
    if disposition:
        response["Content-Disposition"] = disposition
    return response
