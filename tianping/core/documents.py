"""Shared helpers of the printable documents (.docx through python-docx)."""

from __future__ import annotations

from typing import Any


def set_cjk_font(run: Any, size: float | None = None, bold: bool = False, name: str = "Noto Serif CJK SC") -> None:
    """Give a python-docx run a CJK font: Word picks East Asian text's font from w:eastAsia, not w:ascii."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)
    run.bold = bold
