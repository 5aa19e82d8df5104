"""/timeline/: every dated record on one axis, in lanes by kind, filtered as the lists are.

Parameters, as the lists name them: ``theme`` (and ``match=all``), ``kind``, ``party``
(an ISO code, or ``body:<slug>``, as on /agreements/), ``type`` (a lane), and the
period ``from`` and ``to`` (years). ``format`` = csv, json, svg or png downloads the
data or the picture for the same selection.
"""

from django import forms
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from core import charts
from core.models import other_side
from core.pages import form_errors
from core.registry import registry
from core.timeline import AXIS_START, COLUMNS, TimelineQuery
from core.timeline import figure as timeline_figure
from reference.models import Country, Theme

YEARS = (1800, 2200)
# Events per lane at most, the newest: the page's weight and layout time stay bounded
# however many records there are (the caption says when some are left out).
EVENTS_PER_LANE = 300
# Bodies offered in the form's list (the chosen one is always there): the list stays
# short however many bodies there are; any body can still be linked by its slug.
BODY_CHOICES = 200


def lanes():
    return sorted(registry.timeline_lanes, key=lambda lane: lane.order)


class TimelineForm(forms.Form):
    theme = forms.MultipleChoiceField(label="Theme", required=False)
    match = forms.ChoiceField(
        label="Match",
        choices=[("any", "any of the themes"), ("all", "all of the themes")],
        required=False,
    )
    type = forms.MultipleChoiceField(label="Show", required=False)
    kind = forms.MultipleChoiceField(label="Kind", required=False)
    party = forms.MultipleChoiceField(label="Country or body", required=False)
    year_from = forms.IntegerField(
        label="From", min_value=YEARS[0], max_value=YEARS[1], required=False
    )
    year_to = forms.IntegerField(label="To", min_value=YEARS[0], max_value=YEARS[1], required=False)

    def __init__(self, data, *args, **kwargs):
        data = data.copy()
        # The URL says from= and to=; the form's fields cannot be named for keywords.
        for key, field in (("from", "year_from"), ("to", "year_to")):
            if key in data:
                data[field] = data[key]
        for key in ("theme", "type", "kind", "party"):
            # An empty value (theme=, as a form may send) is no filter.
            if key in data:
                data.setlist(key, [v for v in data.getlist(key) if v])
        super().__init__(data, *args, **kwargs)
        self.fields["theme"].choices = list(Theme.objects.values_list("slug", "name"))
        self.fields["type"].choices = [(lane.key, lane.label) for lane in lanes()]
        self.fields["kind"].choices = [
            (lane.label, list(lane.kinds)) for lane in lanes() if lane.kinds
        ]
        chosen = [v for v in data.getlist("party") if isinstance(v, str)]
        self.fields["party"].choices = party_choices(chosen)

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        self.notices = []
        if start is not None and end is not None and start > end:
            data["year_from"], data["year_to"] = end, start
            self.notices.append(
                f"The period was reversed (from {start} to {end}): showing {end} to {start}."
            )
        return data

    def query(self) -> TimelineQuery:
        data = self.cleaned_data
        parties = data.get("party", [])
        return TimelineQuery(
            themes=tuple(data.get("theme", [])),
            match_all=data.get("match") == "all",
            kinds=tuple(data.get("kind", [])),
            lanes=tuple(data.get("type", [])),
            countries=tuple(p for p in parties if not p.startswith("body:")),
            bodies=tuple(p.removeprefix("body:") for p in parties if p.startswith("body:")),
            start=data.get("year_from"),
            end=data.get("year_to"),
            limit=EVENTS_PER_LANE,
        )


def party_choices(chosen: list[str]) -> list:
    """Countries, then bodies (the first ``BODY_CHOICES`` by name and any chosen one):
    two queries."""
    Body = other_side(Country, "bodies")
    countries = list(Country.objects.values_list("code", "name"))
    slugs = [v.removeprefix("body:") for v in chosen if v.startswith("body:")]
    bodies = Body.objects.published().only("slug", "title", "acronym").order_by("title")
    listed = list(bodies[:BODY_CHOICES])
    if slugs:
        listed += [b for b in bodies.filter(slug__in=slugs) if b not in listed]
    return [
        ("Countries", countries),
        ("Bodies", [(f"body:{b.slug}", str(b)) for b in listed]),
    ]


def describe(form: TimelineForm, query: TimelineQuery) -> str:
    """What the picture is filtered by, for its title."""
    labels = dict(form.fields["theme"].choices)
    parts = [labels.get(t, t) for t in query.themes]
    parties = dict(c for group in form.fields["party"].choices for c in group[1])
    parts += [parties.get(c, c) for c in query.countries]
    parts += [parties.get(f"body:{b}", b) for b in query.bodies]
    if query.kinds:
        kinds = dict(c for group in form.fields["kind"].choices for c in group[1])
        parts += [kinds.get(k, k) for k in query.kinds]
    if query.lanes:
        types = dict(form.fields["type"].choices)
        parts += [types.get(t, t) for t in query.lanes]
    return ", ".join(parts)


FORMATS = ("html", *charts.PICTURE_FORMATS)


def timeline(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "html")
    if fmt not in FORMATS:
        raise BadRequest(f"format must be one of {', '.join(FORMATS)}, not “{fmt[:20]}”.")
    form = TimelineForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "errors": form_errors(form)}
        return render(request, "visual/timeline.html", context, status=400)
    query = form.query()
    selection = without(request.GET, "format")
    path = reverse("visual:timeline")
    figure = timeline_figure(
        query,
        name="Cyber diplomacy timeline",
        about=describe(form, query),
        url=request.build_absolute_uri(f"{path}?{selection}" if selection else path),
        downloads=f"?{selection}&format=" if selection else "?format=",
        zoom_url=lambda year: f"?{replaced(request.GET, **{'from': year, 'to': AXIS_START - 1})}",
    )
    if fmt != "html":
        return charts.download(
            request, fmt, "cyberdiplo-timeline",
            rows=figure.rows(), columns=COLUMNS, svg=figure.standalone(), cite=figure.citation,
        )  # fmt: skip
    context = {"form": form, "notices": form.notices, "timeline": figure}
    return render(request, "visual/timeline.html", context)


def without(params, *keys: str) -> str:
    query = params.copy()
    for key in keys:
        query.pop(key, None)
    return query.urlencode()


def replaced(params, **values) -> str:
    query = params.copy()
    for key, value in values.items():
        query[key] = value
    return query.urlencode()
