"""Form pieces every admin shares: a record's translations as one box per language and field."""

from django import forms
from django.conf import settings
from django.utils.html import format_html, format_html_join

from core.models import other_languages

# Fields short enough for one line; the others get a text area.
ONE_LINE = {"title", "short_title", "name"}


class TranslationsWidget(forms.Widget):
    """``{"fr": {"title": ...}}`` shown as a labelled box per language and field (the
    English text is the record's own fields); an empty box is no translation."""

    def __init__(self, fields: tuple[str, ...], attrs=None):
        super().__init__(attrs)
        self.fields = fields

    def boxes(self, name: str):
        names = dict(settings.LANGUAGES)
        for language in other_languages():
            for field in self.fields:
                yield language, names[language], field, f"{name}_{language}_{field}"

    def value_from_datadict(self, data, files, name):
        value: dict[str, dict[str, str]] = {}
        for language, _label, field, box in self.boxes(name):
            text = data.get(box, "").strip()
            if text:
                value.setdefault(language, {})[field] = text
        return value

    def value_omitted_from_data(self, data, files, name):
        return not any(box in data for *_rest, box in self.boxes(name))

    def render(self, name, value, attrs=None, renderer=None):
        value = value if isinstance(value, dict) else {}
        rows = []
        for language, label, field, box in self.boxes(name):
            text = (value.get(language) or {}).get(field, "")
            caption = f"{label}: {field.replace('_', ' ')}"
            if field in ONE_LINE:
                control = format_html(
                    '<input type="text" name="{}" id="id_{}" value="{}" lang="{}" size="80">',
                    box,
                    box,
                    text,
                    language,
                )
            else:
                control = format_html(
                    '<textarea name="{}" id="id_{}" rows="4" cols="80" lang="{}">{}</textarea>',
                    box,
                    box,
                    language,
                    text,
                )
            rows.append((box, caption, control))
        return format_html(
            '<div class="translations">{}</div>',
            format_html_join(
                "", '<p><label for="id_{}">{}</label><br>{}</p>', ((b, c, x) for b, c, x in rows)
            ),
        )


class TranslationsField(forms.JSONField):
    """The ``translations`` of a record or a theme, edited through ``TranslationsWidget``;
    the model's ``clean`` checks languages and fields."""

    def __init__(self, fields: tuple[str, ...], **kwargs):
        kwargs["widget"] = TranslationsWidget(fields)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value  # the widget reads the dict itself

    def to_python(self, value):
        return value if isinstance(value, dict) else super().to_python(value)

    def bound_data(self, data, initial):
        return data

    def has_changed(self, initial, data):
        return (initial or {}) != (data or {})
