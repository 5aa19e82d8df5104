"""The site in English, French and Spanish: the interface from locale/, record text from
each record's translations, English where a translation is missing, marked as such."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from content.loader import ContentError, load_content, read_content
from glossary.models import GlossaryTerm
from reference.models import Theme
from tests.conftest import DRAFT_TITLES
from tests.test_content import content_dir  # noqa: F401 (a fixture)

LOCALE = Path(settings.BASE_DIR) / "locale"


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "nav", "heading"),
    [("", "Norms", "Glossary"), ("/fr", "Normes", "Glossaire"), ("/es", "Normas", "Glosario")],
)
def test_home_glossary_and_a_norm_in_each_language(client, graph, prefix, nav, heading):
    for path in ("/", "/glossary/", graph["norm"].get_absolute_url()):
        response = client.get(prefix + path)
        translation.activate("en")  # for the URLs below
        assert response.status_code == 200, prefix + path
        html = response.content.decode()
        assert html_lang(html) == (prefix.strip("/") or "en")
        assert f">{nav}</a>" in html
        # The page in each language, for search engines and in the switcher.
        for code in ("en", "fr", "es"):
            other = ("" if code == "en" else f"/{code}") + path
            assert f'hreflang="{code}" href="http://testserver{other}"' in html
            assert f'href="{other}" hreflang="{code}" lang="{code}"' in html
        assert 'hreflang="x-default" href="http://testserver' + path + '"' in html
    assert f"<h1>{heading}</h1>" in client.get(prefix + "/glossary/").content.decode()


@pytest.mark.django_db
def test_a_translated_field_shows_and_a_missing_one_is_english_and_said_so(client, graph):
    term = GlossaryTerm.objects.published().first()
    term.translations = {"fr": {"title": "Terme traduit", "summary": "Une définition."}}
    term.save()
    url = term.get_absolute_url()
    french = client.get("/fr" + url).content.decode()
    assert "<h1>Terme traduit</h1>" in french and ">Une définition.</p>" in french
    # Its description has no French: English, marked as such, and the page says so.
    if term.description:
        assert '<div lang="en">' in french
    assert ("Traduction incomplète" in french) == bool(term.description)
    spanish = client.get("/es" + url).content.decode()
    assert f'<h1 lang="en">{term.title}</h1>' in spanish and "Traducción incompleta" in spanish
    # In the French glossary, it is filed under its French name, and English elsewhere.
    glossary = client.get("/fr/glossary/")
    filed = {t.pk: letter for letter, _anchor, terms in glossary.context["groups"] for t in terms}
    assert filed[term.pk] == "T"
    english = client.get("/glossary/").content.decode()
    assert "Terme traduit" not in english and term.title in english
    # A list card, a theme tag: the same rule.
    theme = Theme.objects.first()
    theme.translations = {"es": {"name": "Tema traducido"}}
    theme.save()
    home = client.get("/es/").content.decode()
    assert ">Tema traducido</a>" in home
    assert not set(DRAFT_TITLES) & set(re.findall(r"<h3><a[^>]*>([^<]+)</a>", home))


@pytest.mark.django_db
def test_untranslated_pages_stay_english_inside_a_french_frame(client, graph):
    html = client.get("/fr" + reverse("agreements:list")).content.decode()
    assert html_lang(html) == "en"  # its own text is not translated yet
    assert '<header class="site-header" lang="fr">' in html and ">Accords</a>" in html
    assert 'hreflang="fr" href="http' not in html  # not offered as a French page
    # A translated theme's name on a card of that English page says it is French.
    theme = Theme.objects.get(slug=graph["theme"].slug)
    theme.translations = {"fr": {"name": "Thème traduit"}}
    theme.save()
    html = client.get("/fr" + reverse("agreements:list")).content.decode()
    assert 'lang="fr">Thème traduit</a>' in html
    # A record page: its frame in French, the type's own blocks marked as English.
    page = client.get("/fr" + graph["agreement"].get_absolute_url()).content.decode()
    assert html_lang(page) == "fr" and ">Dernière mise à jour</dt>" in page
    assert '<div class="facts-part" lang="en">' in page
    norm = client.get("/fr" + graph["norm"].get_absolute_url()).content.decode()
    assert '<div class="facts-part">' in norm  # its template is translated


@pytest.mark.django_db
def test_links_on_a_page_lead_to_pages_in_its_language(client, graph):
    term = GlossaryTerm.objects.published().first()
    url = term.get_absolute_url()
    client.get("/fr/")  # links remembered while French was active...
    english = client.get("/").content.decode()
    assert f'href="{url}"' in client.get("/glossary/").content.decode()
    # ...are not given to an English page: only the language switcher links to /fr/.
    assert re.findall(r'href="/fr/[^"]*"', english) == ['href="/fr/"']
    french = client.get("/fr/glossary/").content.decode()
    assert f'href="/fr{url}"' in french
    # A record named in a text: one index of names, its links in each page's language.
    body, agreement = graph["body"], graph["agreement"]
    type(body).objects.filter(pk=body.pk).update(description_html=f"<p>{agreement.title}</p>")
    named = f'href="{{}}{agreement.get_absolute_url()}" class="named"'
    assert named.format("/fr") in client.get("/fr" + body.get_absolute_url()).content.decode()
    assert named.format("") in client.get(body.get_absolute_url()).content.decode()
    assert named.format("/es") in client.get("/es" + body.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_translations_are_checked_in_the_admin_and_in_data_files(content_dir, tmp_path):  # noqa: F811
    term = GlossaryTerm(title="T", slug="t", summary="S", translations={"de": {"title": "X"}})
    with pytest.raises(ValidationError, match="not one of fr, es"):
        term.full_clean(exclude=["themes"])
    term.translations = {"fr": {"aliases": "X"}}
    with pytest.raises(ValidationError, match="aliases cannot be translated"):
        term.full_clean(exclude=["themes"])
    glossary = content_dir / "glossary.toml"
    text = glossary.read_text()
    glossary.write_text(
        text.replace(
            'sources = ["test-source"]\n',
            'sources = ["test-source"]\n\n[term.translations.fr]\nterm = "Ratification"\n'
            'definition = "L\'acte par lequel un État consent à être lié."\n',
            1,
        )
    )
    load_content(content_dir)
    loaded = GlossaryTerm.objects.get(slug="ratification")
    assert loaded.translations == {
        "fr": {"title": "Ratification", "summary": "L'acte par lequel un État consent à être lié."}
    }
    call_command("dump_content", tmp_path / "dumped")
    dumped = read_content(tmp_path / "dumped").terms["ratification"].data["translations"]
    assert dumped == loaded.translations  # read back as the model keeps it
    assert "[term.translations.fr]" in (tmp_path / "dumped" / "glossary.toml").read_text()
    german = '\n[term.translations.de]\nterm = "Ratifikation"\n'
    glossary.write_text(
        text.replace('sources = ["test-source"]\n', f'sources = ["test-source"]\n{german}', 1)
    )
    with pytest.raises(ContentError, match="'de' is not a language of the site"):
        load_content(content_dir)


def po_entries(path: Path) -> dict[tuple[str, str], list[str]]:
    """(context, msgid) -> msgstr forms of a .po file, header and untranslated left out."""
    entries, current, field = {}, {}, None
    for line in [*path.read_text().splitlines(), ""]:
        if not line.strip():
            if current.get("msgid") and any(current.get("msgstr", [])):
                entries[(current.get("msgctxt", ""), current["msgid"])] = current["msgstr"]
            current, field = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if field == "msgstr":
                current["msgstr"][-1] += value
            else:
                current[field] += value
        else:
            key, _, value = line.partition(" ")
            field = "msgstr" if key.startswith("msgstr") else key
            if field == "msgstr":
                current.setdefault("msgstr", []).append(ast.literal_eval(value))
            else:
                current[field] = ast.literal_eval(value)
    return entries


@pytest.mark.parametrize("language", ["fr", "es"])
def test_each_compiled_catalogue_holds_every_translation_of_its_po_file(language):
    folder = LOCALE / language / "LC_MESSAGES"
    entries = po_entries(folder / "django.po")
    assert len(entries) > 80
    with open(folder / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    for (context, msgid), forms in entries.items():
        key = f"{context}\x04{msgid}" if context else msgid
        if len(forms) == 1:
            assert catalogue._catalog.get(key) == forms[0], f"{msgid!r}: run `make messages`"
        else:
            got = [catalogue._catalog.get((key, n)) for n in range(len(forms))]
            assert got == forms, f"{msgid!r}: run `make messages`"


@pytest.mark.django_db
def test_search_finds_the_translated_text_in_each_language(client, graph):
    term = GlossaryTerm.objects.published().first()
    term.translations = {
        "fr": {"summary": "Les infrastructures critiques sont endommagées."},
        "es": {"summary": "Las infraestructuras críticas resultan dañadas."},
    }
    term.save()
    theme = Theme.objects.first()
    theme.translations = {"fr": {"name": "Cybercriminalité organisée"}}
    theme.save()

    def found(path, query):
        response = client.get(path, {"q": query})
        assert response.status_code == 200
        return {hit.record.pk for hit in response.context["page"] if hit.type == "term"}, response

    # Stemmed as French and as Spanish: the plural and the singular meet.
    assert term.pk in found("/fr/search/", "infrastructure critique")[0]
    assert term.pk in found("/es/search/", "infraestructura crítica")[0]
    # English pages search the English text: the French words find nothing there.
    assert term.pk not in found("/search/", "endommagées")[0]
    themes = found("/fr/search/", "cybercriminalité")[1].context["page"]
    assert any(hit.type == "theme" and hit.record.pk == theme.pk for hit in themes)


@pytest.mark.django_db
def test_the_frame_is_in_each_pages_language_and_marks_its_own_section(client, graph):
    # The navigation and footer are rendered once per language and section ({% chrome %}):
    # one language's or section's never shows on another's page.
    pages = [
        ("/bodies/", "en", "/bodies/", ">Bodies</a>"),
        ("/fr/bodies/", "fr", "/fr/bodies/", ">Organismes</a>"),
        ("/bodies/", "en", "/bodies/", ">Bodies</a>"),
        ("/norms/", "en", "/norms/", ">Norms</a>"),
        ("/timeline/", "en", "/timeline/", ">Timeline</a>"),
        ("/es/timeline/", "es", "/es/timeline/", 'href="/es/norms/"'),
        ("/es/", "es", None, 'href="/es/norms/"'),
        ("/about/", "en", None, ">Norms</a>"),
    ]
    for path, language, current, link in pages:
        html = client.get(path).content.decode()
        header = html[html.index("<header") : html.index("</header>")]
        footer = html[html.index("<footer") : html.index("</footer>")]
        assert f'<header class="site-header" lang="{language}">' in header, path
        assert link in header, path
        marked = re.findall(r'<a href="([^"]+)" aria-current="page"', header)
        assert marked == ([current] if current else []), path
        assert f'<footer class="site-footer" lang="{language}">' in footer, path
        prefix = "" if language == "en" else f"/{language}"
        assert f'href="{prefix}/about/"' in footer, path


@pytest.mark.django_db
def test_a_french_or_spanish_search_finds_what_is_written_in_english_only(client, graph):
    # Most records are in English only, and acronyms are not translated: stemmed as French
    # alone, "ENISA" is "enis" and found nothing (nor did "cyber" find the English titles).
    body = graph["body"]
    body.acronym = "ENISA"
    body.save()
    for prefix in ("", "/fr", "/es"):
        response = client.get(f"{prefix}/search/", {"q": "ENISA"})
        hits = [(hit.type, hit.record.pk) for hit in response.context["page"]]
        assert hits[:1] == [("body", body.pk)], prefix
    english = client.get("/search/", {"q": "Agreement"}).context["page"].paginator.count
    assert client.get("/fr/search/", {"q": "Agreement"}).context["page"].paginator.count == english
