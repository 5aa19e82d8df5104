"""Browsing as a reader expects: natural orders, and lists that say what they did."""

import csv
import io
import re

import pytest
from django.urls import reverse

from core.text import render_markdown
from tests.conftest import DRAFT_TITLES


@pytest.mark.django_db
def test_countries_are_listed_a_to_z_within_each_region_and_exported_so(client, shipped):
    response = client.get(reverse("countries:list"))
    for region, countries in response.context["regions"]:
        names = [c.name for c in countries]
        assert names == sorted(names), region
    exported = client.get(reverse("countries:list"), {"format": "csv"}).getvalue()
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))))
    names = [row["name"] for row in rows]
    assert names == sorted(names) and len(names) > 190


@pytest.mark.django_db
def test_norms_list_keeps_each_framework_whole_on_one_page_oldest_first(client, shipped, settings):
    settings.PAGE_SIZE = 10
    url = reverse("norms:index")
    first = client.get(url)
    pages, seen = first.context["page"].paginator.num_pages, []
    assert pages > 1
    for number in range(1, pages + 1):
        norms = client.get(url, {"page": number}).context["page"].object_list
        frameworks = list(dict.fromkeys(n.framework for n in norms))
        for framework in frameworks:
            assert framework not in seen, f"{framework} runs over two pages"
            mine = [n for n in norms if n.framework == framework]
            assert len(mine) == framework.norms.published().count()
            assert mine == sorted(mine, key=lambda n: (n.position, n.reference))
        seen += frameworks
    dates = [str(f.adopted) for f in seen]
    assert dates == sorted(dates), "frameworks oldest first"
    assert first.context["page"].paginator.count == sum(f.norms.published().count() for f in seen)


@pytest.mark.django_db
def test_the_2021_norms_run_13a_to_13k_labelled_like_2015(client, shipped):
    framework = client.get(reverse("norms:framework", args=["un-gge-2021"])).context["entry"]
    refs = [n.reference for n in framework.norms.published().order_by("position", "reference")]
    assert refs == [f"13({letter})" for letter in "abcdefghijk"]
    html = client.get(framework.norms.get(reference="13(e)").get_absolute_url()).content.decode()
    assert "Norm Norm" not in html and "Norm 13(e)" not in html
    assert "UN GGE 2021 · 13(e)" in html


@pytest.mark.django_db
def test_the_about_page_explains_method_policy_corrections_and_citing(client, settings):
    settings.CORRECTIONS_CONTACT = "mailto:corrections@example.org"
    response = client.get(reverse("about"))
    html = response.content.decode()
    assert response.status_code == 200
    for heading in (
        "How facts are sourced",
        "What “as of” means",
        "Who edits",
        "Corrections",
        "How to cite",
    ):
        assert heading in html, heading
    assert 'href="mailto:corrections@example.org">corrections@example.org</a>' in html
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("about")}"' in home  # every page's footer links it


@pytest.mark.django_db
def test_without_a_corrections_contact_the_about_page_names_none(client, settings):
    settings.CORRECTIONS_CONTACT = ""
    html = client.get(reverse("about")).content.decode()
    assert "mailto:" not in html and "write to" not in html


@pytest.mark.django_db
def test_the_glossary_has_an_a_to_z_bar_whose_letters_lead_to_their_terms(client, shipped):
    response = client.get(reverse("glossary:list"))
    html = response.content.decode()
    assert 'aria-label="Terms by first letter"' in html
    groups = response.context["groups"]
    letters = [letter for letter, _anchor, _terms in groups]
    assert letters == sorted(letters) and len(letters) > 10
    for letter, anchor, terms in groups:
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
        assert all(t.title[0].upper() == letter for t in terms if t.title[0].isalpha())
    linked = {letter for letter, anchor in response.context["letters"] if anchor}
    assert linked == set(letters)


ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def visible_text(html: str) -> str:
    """The page's text as read, without tags, attributes, scripts or citation lines
    (a citation style may want ISO dates)."""
    html = re.sub(r"<(script|style|pre)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<p class="[^"]*picture-citation[^"]*">.*?</p>', " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/agreements/budapest-convention/", "/bodies/enisa/", "/norms/un-gge-2015/13f/"],
)
def test_dates_read_one_way_with_the_machine_date_in_time_elements(client, shipped, path):
    html = client.get(path).content.decode()
    assert not ISO_DAY.findall(visible_text(html)), ISO_DAY.findall(visible_text(html))[:5]
    times = re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})">([^<]+)</time>', html)
    assert times and all(re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", text) for _iso, text in times)


@pytest.mark.django_db
def test_a_descriptions_headings_sit_below_its_about_heading(client, shipped):
    html = client.get("/agreements/budapest-convention/").content.decode()
    about = html[html.index('id="about-heading"') : html.index("</section>", html.index("about"))]
    assert "<h2" not in about.split("</h2>", 1)[1], "the description opens no h2 of its own"
    assert "<h3>What it is</h3>" in about


def test_markdown_headings_are_demoted_below_the_pages_own():
    html = render_markdown("# One\n\n## Two\n\n### Three\n\n#### Four\n\ntext")
    assert re.findall(r"<(h\d)>", html) == ["h3", "h3", "h4", "h4"]


@pytest.mark.django_db
def test_active_filters_show_as_chips_each_removing_itself(client, shipped):
    url = reverse("agreements:list")
    params = {"theme": ["cybercrime", "international-law"], "binding": "yes", "year_from": "2000"}
    response = client.get(url, params)
    chips = dict(response.context["chips"])
    assert len(chips) == 4 and {"Theme: Cybercrime", "From 2000"} < set(chips), chips
    assert any(text.startswith("Legal force: ") for text in chips), chips
    html = response.content.decode()
    assert "Filtered by" in html and "Remove all" in html
    for text, link in chips.items():
        assert f'aria-label="Remove the filter {text}"' in html
        after = client.get(url + link)
        assert text not in dict(after.context["chips"])
        assert len(after.context["chips"]) == 3


@pytest.mark.django_db
def test_long_facets_are_checkboxes_not_a_ctrl_click_select_and_any_all_is_spelled_out(
    client, shipped
):
    html = client.get(reverse("agreements:list")).content.decode()
    assert "<select" not in html.replace('<select name="sort"', ""), "one select: the sort"
    assert 'name="party" value="FR"' in html and 'type="checkbox"' in html
    assert "Hold Ctrl" not in html
    assert "With several themes, show records with" in html
    assert 'value="any" checked> any of them</label>' in html


@pytest.mark.django_db
def test_results_show_as_a_table_whose_headings_sort(client, shipped):
    url = reverse("agreements:list")
    cards = client.get(url, {"theme": "cybercrime"})
    assert "view=table" in cards.content.decode()
    table = client.get(url, {"theme": "cybercrime", "view": "table"})
    html = table.content.decode()
    assert '<table class="results-table">' in html
    rows = re.findall(r'<th scope="row"><a href="([^"]+)">', html)
    assert rows == [a.get_absolute_url() for a in table.context["page"]]
    sort = re.search(r'<a href="\?([^"]*sort=parties[^"]*)">Parties</a>', html)
    assert sort, "the Parties heading sorts by parties"
    by_parties = client.get(url + "?" + sort.group(1).replace("&amp;", "&"))
    counts = [a.party_count for a in by_parties.context["page"]]
    assert counts == sorted(counts, reverse=True)
    assert "(most parties)" in by_parties.content.decode()
    bodies = client.get(reverse("bodies:list"), {"view": "table"}).content.decode()
    assert '<table class="results-table">' in bodies and ">Parties" not in bodies


@pytest.mark.django_db
def test_a_long_party_table_is_summarised_with_notes_folded_and_no_empty_column(client, shipped):
    response = client.get("/agreements/budapest-convention/")
    html = response.content.decode()
    parties = response.context["parties"]
    assert (
        parties.in_force + parties.bound + parties.signed + parties.withdrawn + parties.other
        == (len(parties))
    )
    assert f"<strong>{parties.in_force}</strong> in force" in html
    assert parties.folded and '<details class="party-table">' in html
    if not parties.withdrawn:
        assert ">Withdrawn</th>" not in html
    table = html[
        html.index("<table data-filterable>") : html.index(
            "</table>", html.index("data-filterable")
        )
    ]
    assert 'class="note"' not in table, "a party's note is not in its row"
    if parties.notes:
        assert f"Notes on {len(parties.notes)} part" in html
    assert html.count("<tr>") >= len(parties), "every party is still in the page"


@pytest.mark.django_db
@pytest.mark.parametrize("app,model", [("agreements", "agreement"), ("norms", "norm")])
def test_the_admin_breadcrumb_does_not_name_a_list_twice(admin_client, app, model):
    html = admin_client.get(f"/admin/{app}/{model}/").content.decode()
    trail = html[html.index('<ol class="breadcrumbs">') :].split("</ol>")[0]
    parts = [re.sub(r"<[^>]+>", "", "<li" + item).strip() for item in trail.split("<li")[1:]]
    assert len(parts) == 3 and len(parts) == len(set(parts)), parts


@pytest.mark.django_db
def test_the_number_of_parties_is_asked_apart_from_the_legal_form(client, shipped):
    """Every understanding between two states is bilateral, whatever its legal form; the
    legal form of the political ones stays "Political commitment"."""
    url = reverse("agreements:list")
    pairs = client.get(url, {"reach": "bilateral", "view": "table"})
    slugs = {a.slug for a in pairs.context["page"]}
    assert {
        "us-china-2015",
        "uk-china-2015",
        "australia-china-2017",
        "canada-china-2017",
        "us-india-cyber-framework-2016",
        "us-russia-2013",
        "china-russia-2015",
    } <= slugs
    assert all(a.party_count == 2 for a in pairs.context["page"])
    political = client.get(url, {"reach": "bilateral", "kind": "political-commitment"})
    assert "china-russia-2015" not in {a.slug for a in political.context["page"]}
    assert "us-china-2015" in {a.slug for a in political.context["page"]}
    facets = {f.name: f.label for f in pairs.context["facets"]}
    assert facets["reach"] == "Number of parties" and facets["kind"] == "Legal form"
    page = client.get(reverse("agreements:detail", args=["us-china-2015"])).content.decode()
    assert '<p class="entry-type">Political commitment · Bilateral (two parties)</p>' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,field", [("incidents:list", "began"), ("incidents:response-list", "date")]
)
def test_incident_and_response_cards_and_rows_show_their_date(client, shipped, name, field):
    for view in ("", "table"):
        response = client.get(reverse(name), {"view": view} if view else {})
        html = response.content.decode()
        for record in response.context["page"]:
            date = getattr(record, field)
            assert f'<time datetime="{date}">' in html, f"{record} shows no {field} ({view})"


@pytest.mark.django_db
def test_a_norm_links_to_its_restatements_and_back(client, shipped):
    """GGE 2015 13(f) names the later norms that restate it (GGE 2021, OEWG 2021), and
    each of them names 13(f) as the norm it restates."""
    earlier = reverse("norms:detail", args=["un-gge-2015", "13f"])
    later = reverse("norms:detail", args=["un-gge-2021", "norm-13f"])
    oewg = reverse("norms:detail", args=["un-oewg-2021", "critical-infrastructure"])
    page = client.get(earlier).content.decode()
    restated_by = page[page.index(">Restated by<") :]
    assert f'href="{later}"' in restated_by and f'href="{oewg}"' in restated_by
    for path in (later, oewg):
        html = client.get(path).content.decode()
        restates = html[html.index(">Restates<") :]
        assert f'href="{earlier}"' in restates[: restates.index("</ul>")]


def _names(urls: dict[str, str]):
    from core.autolink import Names

    return Names((url, [name]) for name, url in urls.items())


def test_named_records_are_linked_once_outside_links_headings_and_code():
    names = _names({"Budapest Convention": "/agreements/budapest/", "A/70/174": "/norms/gge/"})
    html = (
        "<h3>Budapest Convention</h3><p>The Budapest Convention and the budapest convention; "
        '<a href="/x/">Budapest Convention</a>, <code>A/70/174</code>, A/70/1740, '
        "A/70/174.</p>"
    )
    linked = names.link(html, own_url="/elsewhere/")
    assert linked.count('href="/agreements/budapest/"') == 1
    assert "<h3>Budapest Convention</h3>" in linked
    assert (
        '<p>The <a href="/agreements/budapest/" class="named">Budapest Convention</a> and' in linked
    )
    assert "<code>A/70/174</code>" in linked and "A/70/1740" in linked
    assert '<a href="/norms/gge/" class="named">A/70/174</a>.' in linked
    assert names.link(html, own_url="/agreements/budapest/").count("/agreements/budapest/") == 0
    # A short name only as written, a long one in any case; the longest name first.
    names = _names({"ENISA": "/e/", "EU Cybersecurity Act": "/act/", "EU Cybersecurity": "/eu/"})
    linked = names.link("<p>enisa, (ENISA) and the eu cybersecurity act.</p>")
    assert "enisa," in linked and '(<a href="/e/" class="named">ENISA</a>)' in linked
    assert '<a href="/act/" class="named">eu cybersecurity act</a>.' in linked


def test_the_names_are_ordered_bucket_by_bucket_as_one_sort_orders_them():
    """The index sorts its hashes a bucket at a time (its peak memory): the same order as
    a stable sort of every position at once, equal hashes in the order given."""
    from array import array
    from random import Random

    from core.autolink import _order

    rng = Random(10)
    extremes = [-(2**63), 2**63 - 1, -1, 0, 1]
    many = [rng.randrange(-(2**63), 2**63) for _ in range(3000)]
    values = array("q", [*many, *extremes, *many[:500], *rng.choices(many, k=200)])
    assert list(_order(values)) == sorted(range(len(values)), key=values.__getitem__)
    assert list(_order(array("q"))) == []


@pytest.mark.django_db
def test_records_named_in_a_text_link_to_their_pages(client, shipped):
    """The GGE 2015 report's text names resolution 70/237; ENISA's, the CSIRTs Network and
    EU-CyCLONe; the US–China understanding's, the G20 Antalya communiqué."""
    expected = {
        reverse("norms:framework", args=["un-gge-2015"]): ["unga-resolution-70-237"],
        reverse("bodies:detail", args=["enisa"]): ["eu-csirts-network", "eu-cyclone"],
        reverse("agreements:detail", args=["us-china-2015"]): ["g20-antalya-communique-2015"],
    }
    for path, slugs in expected.items():
        html = client.get(path).content.decode()
        about = html[html.index('id="about-heading"') :]
        about = about[: about.index("</section>")]
        named = re.findall(r'<a href="([^"]+)" class="named">', about)
        for slug in slugs:
            assert any(url.rstrip("/").endswith(slug) for url in named), (path, slug, named)


@pytest.mark.django_db
def test_a_draft_is_never_linked_from_a_text(client, graph):
    draft, body = graph["draft_agreement"], graph["body"]
    type(body).objects.filter(pk=body.pk).update(
        description_html=f"<p>Compare {draft.title} and {graph['agreement'].title}.</p>"
    )
    html = client.get(body.get_absolute_url()).content.decode()
    assert draft.get_absolute_url() not in html
    assert f'<a href="{graph["agreement"].get_absolute_url()}" class="named">' in html


@pytest.mark.django_db
def test_a_name_two_records_share_links_neither(client, graph):
    agreement, body = graph["agreement"], graph["body"]
    other = type(agreement).objects.exclude(pk=agreement.pk).published().first()
    shared = "Shared Cyber Framework Name"
    type(agreement).objects.filter(pk__in=[agreement.pk, other.pk]).update(short_title=shared)
    type(body).objects.filter(pk=body.pk).update(
        description_html=f"<p>The {shared} and {agreement.title}.</p>"
    )
    html = client.get(body.get_absolute_url()).content.decode()
    assert f'class="named">{shared}<' not in html
    assert f'<a href="{agreement.get_absolute_url()}" class="named">{agreement.title}</a>' in html


@pytest.mark.django_db
def test_the_source_picker_finds_a_word_in_title_publisher_symbol_or_address(
    shipped, admin_user_client
):
    from reference.models import Source

    response = admin_user_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "reference", "model_name": "citation", "field_name": "source"}
        | {"term": "Estonia"},
    )
    ids = [int(r["id"]) for r in response.json()["results"]]
    assert len(ids) >= 2
    for source in Source.objects.filter(pk__in=ids):
        text = " ".join([source.title, source.publisher, source.symbol, source.key, source.url])
        assert "estonia" in text.lower(), source


@pytest.mark.django_db
def test_what_is_not_confirmed_is_data_shown_by_one_marker_and_taken_away(client, graph):
    from django.core.exceptions import ValidationError

    agreement, party = graph["agreement"], graph["agreement"].participations.first()
    agreement.unconfirmed = {"adopted": "only the month is known"}
    agreement.save()
    party.unconfirmed = {"signed": "the depositary gives no day"}
    party.save()
    html = client.get(agreement.get_absolute_url()).content.decode()
    marker = '<span class="unconfirmed"><span class="unconfirmed-label">Not confirmed</span>:'
    adopted = re.search(r"<dt>Adopted or signed</dt><dd>(.*?)</dd>", html, re.S).group(1)
    assert f"{marker} only the month is known</span>" in adopted
    parties = html[html.index("<caption>Signature, consent") :]
    row = re.search(
        rf"<tr[^>]*>(?:(?!</tr>).)*{re.escape(party.party.name)}.*?</tr>", parties, re.S
    )
    assert f"{marker} the depositary gives no day</span>" in row.group(0)
    assert html.count(marker) == 2  # nothing else on the page is marked
    # Exports and the API carry it as data.
    exported = client.get(reverse("agreements:list"), {"format": "csv"}).getvalue()
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(exported.decode("utf-8-sig")))}
    assert rows[agreement.slug]["unconfirmed"] == "adopted: only the month is known"
    api = client.get(f"/api/v1/agreements/{agreement.slug}/").json()
    assert api["unconfirmed"] == {"adopted": "only the month is known"}
    # A field the record does not have, or an empty reason, is refused with a clear message.
    agreement.unconfirmed = {"founded": "no such field here"}
    with pytest.raises(ValidationError, match="Not a field of this record: founded"):
        agreement.full_clean()
    agreement.unconfirmed = {"adopted": ""}
    with pytest.raises(ValidationError, match="each reason a short text"):
        agreement.full_clean()


@pytest.mark.django_db
def test_the_critical_infrastructure_norm_shows_its_versions_and_who_endorsed_them(client, shipped):
    from norms.models import Norm

    norm = Norm.objects.get(framework__slug="un-gge-2015", slug="13f")
    page = client.get(norm.get_absolute_url()).content.decode()
    url = reverse("norms:lineage", args=[norm.lineage_key])
    assert f'href="{url}"' in page
    html = client.get(url).content.decode()
    descent = html[html.index('id="descent-heading"') : html.index('id="wording-heading"')]
    versions = re.findall(r"<li>\s*<a href=\"([^\"]+)\">", descent)
    assert len(versions) >= 3
    assert versions[0] == norm.get_absolute_url()  # the oldest first
    assert "/norms/un-gge-2021/norm-13f/" in versions
    assert "/norms/un-oewg-2021/critical-infrastructure/" in versions
    assert "A/RES/70/237" in descent and "A/RES/76/19" in descent
    # Its cousin through the OEWG's norm (13(g)) is not a version of it.
    assert "/norms/un-gge-2015/13g/" not in versions
    assert client.get(reverse("norms:lineage", args=["no-such-norm"])).status_code == 404


@pytest.mark.django_db
def test_a_lineage_marks_each_versions_changes_against_the_one_it_restates(client, graph):
    from norms.models import Norm, Restatement

    first = graph["norm"]
    first.quotation = "States should not damage critical infrastructure."
    first.save()
    later = Norm.objects.create(
        framework=first.framework,
        title="Later version",
        slug="13z",
        reference="13(z)",
        position=9,
        summary="The same norm, worded again.",
        quotation="States should not damage or impair critical infrastructure.",
        status="published",
    )
    Restatement.objects.create(norm=later, restates=first, note="with two words more")
    html = client.get(reverse("norms:lineage", args=[later.lineage_key])).content.decode()
    assert (
        '<ins class="compare-ins"><span class="visually-hidden">added: </span>or impair</ins>'
        in html
    )
    assert "2 words added, 0 removed" in html
    # A draft that restates the first is no version of it, on its lineage page either.
    html = client.get(reverse("norms:lineage", args=[first.lineage_key])).content.decode()
    assert "/norms/framework-0/13z/" in html
    assert "Secret draft norm" not in html


@pytest.mark.django_db
def test_a_lineage_key_finds_its_norm_wherever_the_slugs_hold_hyphens(graph):
    """``framework-slug`` + "-" + ``norm-slug``: either may hold hyphens, and a key that
    could be cut two ways finds the norm whose slugs make it."""
    from norms import lineage
    from norms.models import Norm, NormFramework

    first = graph["norm"]
    framework = NormFramework.objects.create(
        title="A framework with a hyphen", slug="a-b", kind=first.framework.kind,
        summary="For the test.", status="published",
    )  # fmt: skip
    norm = Norm.objects.create(
        framework=framework, title="A norm", slug="c-d", reference="1", position=1,
        summary="For the test.", status="published",
    )  # fmt: skip
    assert norm.lineage_key == "a-b-c-d"
    assert lineage.find("a-b-c-d") == norm
    assert lineage.find(first.lineage_key) == first
    for key in ("a-b-c", "a-b-c-d-", "abcd", "a-" * 150 + "b"):
        assert lineage.find(key) is None, key
    norm.status = "draft"
    norm.save()
    assert lineage.find("a-b-c-d") is None


@pytest.mark.django_db
def test_a_country_page_opens_with_its_profile_or_says_there_is_none(client, graph):
    html = client.get(graph["country"].get_absolute_url()).content.decode()
    sections = re.findall(r'<h2 id="([a-z0-9-]+)-heading">', html)
    assert sections[sections.index("timeline") + 1] == "cyber-policy-in-brief"
    brief = html[html.index('id="cyber-policy-in-brief-heading"') :]
    brief = brief[: brief.index("</section>")]
    assert "National Cyber Strategy 0" in brief and "May 2019" in brief
    assert "<li>National Cyber Agency</li>" in brief
    assert graph["profile"].get_absolute_url() in brief
    # A state whose only profile is a draft: the page says plainly there is none.
    html = client.get("/countries/qz/").content.decode()
    assert "No profile of Draftland’s cyber policy is recorded yet" in html.replace("'", "’")
    assert "Secret draft strategy" not in html


@pytest.mark.django_db
def test_the_budapest_convention_on_a_past_day_shows_the_parties_of_that_day(client, shipped):
    url = reverse("agreements:detail", args=["budapest-convention"])
    html = client.get(url, {"as_of": "2005-01-01"}).content.decode()
    table = html[html.index("furthest step by") :]
    table = table[: table.index("</table>")]
    found = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th><td>([^<]+)', table)
    rows = dict(found)
    assert rows["Albania"] == "In force"  # in force 1 July 2004
    assert rows["Bulgaria"] == "Signed only"  # ratified 7 April 2005
    assert "Philippines" not in rows and "Argentina" not in rows  # joined in 2018
    assert "It was in force (since" in html
    # Today's table is not shown beside the day's.
    assert "<caption>Signature, consent to be bound" not in html


@pytest.mark.django_db
def test_a_step_known_only_to_the_year_is_uncertain_inside_that_year(client, graph):
    url = graph["agreement"].get_absolute_url()
    html = client.get(url, {"as_of": "2003-06-01"}).content.decode()
    row = re.search(
        r'<th scope="row"><a href="/countries/aa/">Country 0</a></th><td>(.*?)</td>', html
    )
    assert row.group(1).startswith("Signed only")
    assert "Uncertain</span>: consented to be bound in 2003, perhaps after this day" in row.group(1)
    html = client.get(url, {"as_of": "2004-01-01"}).content.decode()  # 2003 is past: bound
    assert re.search(r"Country 0</a></th><td>Bound, not yet in force</td>", html)
    response = client.get(url, {"as_of": "2005-13-01"})
    assert response.status_code == 400
    assert "as_of is a date written YYYY-MM-DD" in response.content.decode()


@pytest.mark.django_db
def test_what_changed_between_two_days_lists_each_step_and_the_uncertain_ones(client, graph):
    url = graph["agreement"].get_absolute_url()

    def steps(start, end):
        html = client.get(url, {"from": start, "to": end}).content.decode()
        table = html[html.index("<h3>From ") :]
        table = table[: table.index("</table>")] if "<table>" in table else ""
        return re.findall(
            r'<tr><td><time datetime="([^"]+)">.*?</time></td><th scope="row"><a href="[^"]+">'
            r"([^<]+)</a></th><td>(.*?)</td></tr>",
            table,
        )

    # Country 0: signed 2001-11-23, consent "2003", in force 2004-07-01; Body 0 signed "2002".
    found = steps("2001-11-23", "2004-07-01")  # both edges included
    assert ("2001-11-23", "Country 0", "Signed") in found
    assert ("2004-07-01", "Country 0", "Entered into force for it") in found
    assert ("2003", "Country 0", "Consented to be bound") in found
    # A period inside 2003 may or may not hold the consent dated only "2003": said so.
    found = steps("2003-03-01", "2003-09-30")
    assert [(d, p) for d, p, _ in found] == [("2003", "Country 0")]
    assert "Uncertain</span>: perhaps outside this period" in found[0][2]
    assert steps("2004-07-02", "2010-01-01") == []  # nothing after entry into force
    for query, message in [
        ({"from": "2005-01-01", "to": "2004-01-01"}, "give the earlier date first"),
        ({"from": "2005-01-01"}, "needs two dates"),
        ({"from": "2005-02-30", "to": "2006-01-01"}, "from is a date written YYYY-MM-DD"),
    ]:
        response = client.get(url, query)
        assert response.status_code == 400 and message in response.content.decode()


@pytest.mark.django_db
def test_a_country_and_a_body_on_a_past_day_and_what_changed_for_them(client, graph):
    country, body = graph["country"], graph["body"]  # Country 0 joined Body 0 in "2004"
    page = country.get_absolute_url()
    assert 'name="as_of"' in client.get(page).content.decode()  # the forms are on the page

    def text(url, query):
        response = client.get(url, query)
        assert response.status_code == 200
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))

    # Agreement 0: signed 2001-11-23, consent "2003", in force 2004-07-01.
    html = text(page, {"as_of": "2003-06-01"})
    assert "Country 0 on 1 June 2003" in html
    assert "Agreement 0 Signed only Uncertain : consented to be bound in 2003" in html
    assert "Body 0" not in html  # joined in 2004
    for title in DRAFT_TITLES:
        assert title not in html
    html = text(page, {"as_of": "2004-06-01"})
    assert "Agreement 0 Bound, not yet in force" in html
    assert "Body 0 (B0) Uncertain : joined in 2004, perhaps after this day" in html
    html = text(page, {"from": "2004-01-01", "to": "2004-12-31"})
    assert "1 July 2004 Agreement 0 Entered into force for it" in html
    assert "Body 0 (B0) — joined 2004" in html
    assert client.get(page, {"as_of": "2004-02-30"}).status_code == 400
    assert client.get(page, {"to": "2004-01-01"}).status_code == 400

    page = body.get_absolute_url()
    html = text(page, {"as_of": "2003-06-01"})
    members = html[html.index("On 1 June 2003") : html.index("Responses to cyber incidents")]
    assert "0 members by then" in members and "Country 0" not in members
    html = text(page, {"as_of": "2005-01-01"})
    assert "Country 0 since 2004" in html
    html = text(page, {"from": "2004-01-01", "to": "2004-12-31"})
    assert "1 joined" in html and "Country 0 joined 2004" in html
    assert client.get(page, {"from": "2005-01-01", "to": "2004-01-01"}).status_code == 400


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("States ratified it; the RATIFICATION followed.", {1}),  # any case
        ("Several ratifications were deposited.", {1}),  # an alias
        ("Its 24/7 network answers at once.", {2}),  # a name with a slash in it
        ("A x24/7 network, a 24/7 networks.", set()),  # only as a whole name
        ("It accedes today; others accede later.", {3}),  # a later place is a word
        ("It accedes today.", set()),
        ("Under (ISC)2 rules.", {4}),  # a name that starts with no word
        ("", set()),
    ],
)
def test_a_text_uses_a_term_where_its_name_or_an_alias_is_a_whole_word(text, found):
    from glossary.models import terms_used_in

    terms = [
        (1, ["Ratification", "ratifications"]),
        (2, ["24/7 network"]),
        (3, ["Accession", "accede"]),
        (4, ["(ISC)2"]),
    ]
    assert terms_used_in(text, terms) == found
