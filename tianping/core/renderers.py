"""The form renderer (settings.FORM_RENDERER): Django's, with the plain widgets written out in Python.

Django renders every widget and every <option> of a select through a template include; a list page's filter
bar (13 fields, ~50 options) spent 20–25 ms there, a sixth of the dispute list's server time (issue 17).
The inputs, selects and options below come out byte for byte as Django's renderer writes them from
django/forms/templates/django/forms/widgets/{input,attrs,select,select_option}.html (it strips the outer
output; an option included in a select keeps its newline); core/tests/test_renderers.py compares both.
Every other template still goes through the template engine."""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe

_W = "django/forms/widgets/"
INPUT_TEMPLATES = frozenset(_W + name for name in (
    "input.html", "text.html", "number.html", "email.html", "url.html", "password.html", "hidden.html",
    "date.html", "time.html", "datetime.html", "search.html", "tel.html", "checkbox.html", "color.html"))
SELECT_TEMPLATE = _W + "select.html"
OPTION_TEMPLATE = _W + "select_option.html"
_PLAIN = Context(autoescape=True)


def _text(value: Any) -> str:
    """`{{ value }}` in an autoescaping template (localized, escaped unless already safe)."""
    return render_value_in_context(value, _PLAIN)


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`."""
    return str(value) if isinstance(value, SafeData) else escape("%s" % (value,))


def _attrs(attrs: dict[str, Any]) -> str:
    """attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"')
    return "".join(out)


def render_input(widget: dict[str, Any]) -> str:
    value = f' value="{_formatted(widget["value"])}"' if widget["value"] is not None else ""
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def render_option(option: dict[str, Any]) -> str:
    return (f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>{_text(option["label"])}'
            "</option>")


class FastWidgetRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            if template_name in INPUT_TEMPLATES:
                return mark_safe(render_input(widget))  # noqa: S308 - every value escaped above
            if template_name == OPTION_TEMPLATE:
                return mark_safe(render_option(widget))  # noqa: S308
            if template_name == SELECT_TEMPLATE:
                return mark_safe(self._select(widget))  # noqa: S308
        return super().render(template_name, context, request)

    def _select(self, widget: dict[str, Any]) -> str:
        out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{_text(group_name)}">')
            for option in group_choices:
                if option.get("template_name") == OPTION_TEMPLATE:
                    # an option included in the select keeps its template's closing newline
                    out.append("\n  " + render_option(option) + "\n")
                else:
                    out.append("\n  " + self._template_text(option["template_name"], {"widget": option}))
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return "".join(out)

    def _template_text(self, template_name: str, context: dict[str, Any]) -> str:
        """What `{% include %}` inserts: the template's output, not stripped (render() strips)."""
        return str(self.get_template(template_name).render(context))
