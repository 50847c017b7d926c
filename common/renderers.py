"""The form renderer: Django's templates, with the few widget templates that a page renders hundreds of
times (``<input>``, ``<select>`` and its options) written out in Python.

A select of 155 lieux repeated on every permanence row, or 33 skills × 4 radio buttons, cost one template
render per option: a third of "Mon profil"'s time at national scale. The functions below produce the very
same HTML as Django's templates (``tests/common/test_renderers.py`` compares them); anything they do not
know (another option template, a label that is not text) is left to the templates.
"""

from django.forms.renderers import TemplatesSetting
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"


def _text(value):
    """``{{ value|stringformat:'s' }}`` under autoescape: ``str()``, escaped unless already safe."""
    return conditional_escape(str(value))


def _attrs(attrs):
    """``django/forms/widgets/attrs.html``."""
    html = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            html.append(f" {conditional_escape(name)}")
        else:
            html.append(f' {conditional_escape(name)}="{_text(value)}"')
    return "".join(html)


def _is_text(value):
    return isinstance(value, (str, Promise))


def _input(widget):
    """``django/forms/widgets/input.html`` (without its final line break)."""
    value = f' value="{_text(widget["value"])}"' if widget["value"] is not None else ""
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _input_option(widget):
    """``radio_option.html`` and ``checkbox_option.html``, which include ``input_option.html``."""
    if not widget.get("wrap_label"):
        return f"{_input(widget)}\n\n"
    if not _is_text(widget["label"]):
        return None
    label_for = f' for="{conditional_escape(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(widget)}\n {conditional_escape(widget['label'])}</label>\n"


def _option(option):
    """``django/forms/widgets/select_option.html``."""
    label = conditional_escape(option["label"])
    return f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>{label}</option>'


def _select(widget):
    """``django/forms/widgets/select.html`` with its options."""
    html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            if not _is_text(group_name):
                return None
            html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != WIDGETS + "select_option.html" or not _is_text(option["label"]):
                return None
            html.append(f"\n  {_option(option)}\n")
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


# What the templates below include: overriding one of them changes them all.
INCLUDED = ("input.html", "attrs.html", "input_option.html", "select_option.html")
FAST = {
    WIDGETS + "input.html": _input,
    WIDGETS + "text.html": _input,
    WIDGETS + "search.html": _input,
    WIDGETS + "email.html": _input,
    WIDGETS + "url.html": _input,
    WIDGETS + "number.html": _input,
    WIDGETS + "date.html": _input,
    WIDGETS + "time.html": _input,
    WIDGETS + "hidden.html": _input,
    WIDGETS + "checkbox.html": _input,
    WIDGETS + "radio_option.html": _input_option,
    WIDGETS + "checkbox_option.html": _input_option,
    WIDGETS + "select.html": _select,
}


class FormRenderer(TemplatesSetting):
    """``TemplatesSetting`` (the project's templates may override any widget), faster for the widgets
    above: a widget template overridden in the project's templates is rendered as a template."""

    def __init__(self):
        super().__init__()
        self._fast = None

    def fast(self):
        if self._fast is None:
            # Only the templates the project does not override: their output is then Django's.
            def overridden(name):
                origin = str(self.get_template(name).origin.name).replace("\\", "/")
                return "django/forms/templates/" not in origin

            if any(overridden(WIDGETS + name) for name in INCLUDED):
                self._fast = {}
            else:
                self._fast = {name: function for name, function in FAST.items() if not overridden(name)}
        return self._fast

    def render(self, template_name, context, request=None):
        function = self.fast().get(template_name)
        if function is not None and set(context) == {"widget"}:
            html = function(context["widget"])
            if html is not None:
                return mark_safe(html.strip())
        return super().render(template_name, context, request)
