import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tianping.core.uploads import DOCUMENTS, PHOTO_AND_PDF, check_upload


def test_pdf_and_photo_pass_and_report_their_type():
    assert check_upload(SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.7 ..."), max_bytes=1000) == "application/pdf"
    assert check_upload(SimpleUploadedFile("a.JPG", b"\xff\xd8\xff\xe0xx"), max_bytes=1000) == "image/jpeg"


def test_extension_must_match_content():
    with pytest.raises(ValidationError, match="扩展名与内容不符"):
        check_upload(SimpleUploadedFile("photo.pdf", b"\x89PNG\r\n\x1a\nxxxx"), max_bytes=1000)


def test_unknown_content_refused_with_what_to_do():
    with pytest.raises(ValidationError, match="请转换后再上传"):
        check_upload(SimpleUploadedFile("virus.pdf", b"MZ\x90\x00"), max_bytes=1000)


def test_size_and_empty():
    with pytest.raises(ValidationError, match="超过"):
        check_upload(SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 2000), max_bytes=1000)
    with pytest.raises(ValidationError, match="空文件"):
        check_upload(SimpleUploadedFile("empty.pdf", b""), max_bytes=1000)


def test_documents_only_when_asked():
    docx = SimpleUploadedFile("起诉状.docx", b"PK\x03\x04rest")
    with pytest.raises(ValidationError):
        check_upload(docx, max_bytes=1000)
    assert check_upload(docx, max_bytes=1000, kinds=PHOTO_AND_PDF + DOCUMENTS) == "application/zip"
