"""The content loader: idempotent, all or nothing, and clear about what is wrong."""

import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from agreements.models import Agreement, Participation
from bodies.models import Body
from content.loader import ContentError, load_content, read_content
from norms.models import Norm
from reference.models import Citation, Source

VALID = Path(__file__).parent / "content" / "valid"


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A writable copy of the small valid data set."""
    target = tmp_path / "data"
    shutil.copytree(VALID, target)
    return target


def snapshot() -> dict:
    return {
        "agreements": list(Agreement.objects.values("slug", "updated", "title")),
        "norms": list(Norm.objects.values("slug", "updated")),
        "bodies": list(Body.objects.values("slug", "updated", "established_by")),
        "parties": sorted(Participation.objects.values_list("pk", flat=True)),
        "citations": sorted(Citation.objects.values_list("pk", flat=True)),
    }


@pytest.mark.django_db
def test_loading_twice_changes_nothing(content_dir):
    first = load_content(content_dir)
    assert first.created > 0
    before = snapshot()
    second = load_content(content_dir)
    assert (second.created, second.updated) == (0, 0)
    assert snapshot() == before


@pytest.mark.django_db
def test_loading_builds_every_relation(content_dir):
    load_content(content_dir)
    treaty = Agreement.objects.get(slug="test-treaty")
    assert treaty.participations.count() == 2
    assert treaty.norm_links.get().norm.slug == "13a"
    assert treaty.inbound_links.get().source.slug == "test-protocol"
    assert [t.slug for t in treaty.themes.all()] == ["cybercrime"]
    body = Body.objects.get(slug="test-body")
    assert body.established_by == treaty
    assert body.members.count() == 2
    assert body.frameworks.get().slug == "test-framework"
    norm = Norm.objects.get(slug="13a")
    assert norm.citations.get().pinpoint == "para. 13(a)"
    assert norm.quotation == "States should test."
    restated = norm.restated_in.get()
    assert (restated.norm.slug, restated.note) == ("13b", "in other words")


@pytest.mark.django_db
def test_a_changed_file_updates_only_what_changed(content_dir):
    load_content(content_dir)
    before = Agreement.objects.get(slug="test-protocol").updated
    path = content_dir / "agreements" / "test-treaty.toml"
    path.write_text(path.read_text().replace("A treaty used by the tests.", "A changed treaty."))
    stats = load_content(content_dir)
    assert stats.updated == 1
    assert Agreement.objects.get(slug="test-treaty").summary.startswith("A changed treaty.")
    assert Agreement.objects.get(slug="test-protocol").updated == before


BROKEN = [
    # (file, text to replace, replacement, words the message must contain)
    ("agreements/test-treaty.toml", 'sources = ["test-source"]\nnorms', "norms",
     ["agreements/test-treaty.toml", "agreement test-treaty", "sources is required"]),
    ("agreements/test-treaty.toml", 'norm = "test-framework/13a"', 'norm = "test-framework/zz"',
     ["agreement test-treaty", "test-framework/zz", "not defined"]),
    ("agreements/test-treaty.toml", 'entry_into_force = "2004-07-01"',
     'entry_into_force = "1999-07-01"', ["agreement test-treaty", "before adopted"]),
    ("agreements/test-treaty.toml", 'as_of = "2026-11-01"\n\n[[party]]', "\n[[party]]",
     ["agreement test-treaty", "party", "as_of is required"]),
    ("bodies/test-body.toml", 'website = "https://example.org/"', 'website = "ftp://example.org/"',
     ["body test-body", "website", "http(s)"]),
    ("sources.toml", 'url = "https://example.org/source"', 'url = "javascript:alert(1)"',
     ["source test-source", "http(s)"]),
    ("frameworks/test-framework.toml", 'slug = "13b"', 'slug = "13a"',
     ["norm 13a", "duplicate slug"]),
    ("agreements/test-protocol.toml", 'slug = "test-protocol"', 'slug = "test-treaty"',
     ["agreements/test-protocol.toml", "duplicate", "test-treaty"]),
    ("agreements/test-treaty.toml", 'adopted = "2001-11-23"', 'adopted = "23/11/2001"',
     ["agreement test-treaty", "adopted", "ISO date"]),
    ("agreements/test-treaty.toml", 'kind = "multilateral-treaty"', 'kind = "treaty-ish"',
     ["agreement test-treaty", "kind"]),
    ("agreements/test-treaty.toml", 'legal_status = "in-force"', 'legal_satus = "in-force"',
     ["agreement test-treaty", "legal_satus"]),
    ("countries.toml", 'code = "FR"', 'code = "fr"', ["countries.toml", "ISO 3166-1"]),
    ("themes.toml", "[[theme]]\nslug", "[[theme\nslug", ["themes.toml", "not valid TOML"]),
    ("agreements/test-protocol.toml", 'agreement = "test-treaty"', 'agreement = "test-protocol"',
     ["agreement test-protocol", "itself"]),
    ("frameworks/test-framework.toml", 'norm = "test-framework/13a"', 'norm = "test-framework/13z"',
     ["norm 13b", "restates", "test-framework/13z"]),
    ("frameworks/test-framework.toml", 'norm = "test-framework/13a"', 'norm = "test-framework/13b"',
     ["norm 13b", "cannot restate itself"]),
    ("agreements/test-treaty.toml", '[agreement]\n', '[agreement]\nunconfirmed = {founded = "x"}\n',
     ["agreement test-treaty", "unconfirmed names founded", "it can mark adopted"]),
    ("agreements/test-treaty.toml", '[[party]]\n', '[[party]]\nunconfirmed = {signed = " "}\n',
     ["party", "unconfirmed must be a table of field"]),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("path,old,new,words", BROKEN, ids=[b[3][-1] for b in BROKEN])
def test_a_broken_file_is_refused_with_file_and_record_and_loads_nothing(
    content_dir, path, old, new, words
):
    target = content_dir / path
    text = target.read_text()
    assert old in text, "the test's own edit must apply"
    target.write_text(text.replace(old, new, 1))
    with pytest.raises(ContentError) as excinfo:
        load_content(content_dir)
    for word in words:
        assert word in str(excinfo.value)
    assert not Agreement.objects.exists() and not Source.objects.exists()


@pytest.mark.django_db
def test_a_database_rule_broken_late_rolls_back_everything(content_dir):
    # Passes the file checks (the party has no signature to compare with) but breaks
    # the database's participation rule only after other rows were written.
    path = content_dir / "agreements" / "test-treaty.toml"
    path.write_text(path.read_text().replace('consent_kind = "ratification"\n', ""))
    with pytest.raises(ContentError) as excinfo:
        load_content(content_dir)
    assert "agreement test-treaty" in str(excinfo.value)
    assert not Agreement.objects.exists() and not Source.objects.exists()


@pytest.mark.django_db
def test_the_command_reports_errors_without_a_traceback(content_dir):
    (content_dir / "stray.toml").write_text("x = 1\n")
    with pytest.raises(CommandError, match="Nothing was loaded. .*stray.toml"):
        call_command("load_content", content_dir)


@pytest.mark.django_db
def test_dry_run_checks_without_writing(content_dir):
    call_command("load_content", content_dir, "--dry-run")
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_the_shipped_content_loads_and_is_idempotent(shipped):
    again = load_content(settings.CONTENT_DIR)
    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged > 500


def test_the_shipped_content_has_every_named_record():
    content = read_content(settings.CONTENT_DIR)
    assert {f"13{c}" for c in "abcdefghijk"} <= {
        n.data["slug"] for n in content.frameworks["un-gge-2015"].children
    }
    assert {"budapest-convention", "us-china-2015"} <= set(content.agreements)
    assert "enisa" in content.bodies


@pytest.mark.django_db
def test_coverage_report_counts_types_and_lists_the_least_linked(content_dir):
    load_content(content_dir)
    out = StringIO()
    call_command("content_report", "--fewest", "3", stdout=out)
    report = out.getvalue()
    assert re.search(r"agreements +2 / 2", report)
    assert re.search(r"participations +2\n", report)
    assert "Records without a source: 0" in report
    least = report.split("fewest links")[1].strip().splitlines()
    assert len(least) == 3
    counts = [int(line.split()[0]) for line in least]
    assert counts == sorted(counts)
    assert counts[0] == 1  # e.g. norm 13b: only its framework, nothing links to it


@pytest.mark.django_db
def test_two_source_keys_for_one_page_are_refused(content_dir):
    sources = content_dir / "sources.toml"
    sources.write_text(
        sources.read_text()
        + '\n[[source]]\nkey = "same-page"\ntitle = "The same page again"\npublisher = "P"\n'
        + 'url = "http://www.Example.org/source/"\n'
    )
    with pytest.raises(ContentError) as excinfo:
        load_content(content_dir)
    assert "same-page" in str(excinfo.value) and "test-source" in str(excinfo.value)
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_what_is_not_confirmed_loads_as_data_and_dumps_back(content_dir, tmp_path):
    path = content_dir / "agreements" / "test-treaty.toml"
    text = path.read_text().replace(
        "[[party]]\n", '[[party]]\nunconfirmed = {signed = "only the year is known"}\n', 1
    )
    path.write_text(
        text.replace("[agreement]\n", '[agreement]\nunconfirmed = {adopted = "sources differ"}\n')
    )
    load_content(content_dir)
    treaty = Agreement.objects.get(slug="test-treaty")
    assert treaty.unconfirmed == {"adopted": "sources differ"}
    assert treaty.participations.get(country__code="FR").unconfirmed == {
        "signed": "only the year is known"
    }
    call_command("dump_content", tmp_path / "dumped")
    dumped = read_content(tmp_path / "dumped").agreements["test-treaty"]
    assert dumped.data["unconfirmed"] == {"adopted": "sources differ"}
    assert dumped.children[0].data["unconfirmed"] == {"signed": "only the year is known"}


@pytest.mark.django_db
def test_a_wikidata_item_loads_only_with_its_page_as_a_source_and_dumps_back(content_dir, tmp_path):
    path = content_dir / "agreements" / "test-treaty.toml"
    path.write_text(path.read_text().replace("[agreement]\n", '[agreement]\nwikidata = "Q42"\n'))
    with pytest.raises(ContentError, match="wikidata Q42 needs a source whose url is its page"):
        load_content(content_dir)
    path.write_text(path.read_text().replace('wikidata = "Q42"', 'wikidata = "42"'))
    with pytest.raises(ContentError, match="wikidata must be a Wikidata item"):
        load_content(content_dir)
    sources = content_dir / "sources.toml"
    sources.write_text(
        sources.read_text()
        + '\n[[source]]\nkey = "wikidata-q42"\ntitle = "Wikidata item Q42"\n'
        + 'publisher = "Wikidata"\nurl = "https://www.wikidata.org/wiki/Q42"\n'
    )
    text = path.read_text().replace('wikidata = "42"', 'wikidata = "Q42"')
    path.write_text(
        text.replace('sources = ["test-source"', 'sources = ["wikidata-q42", "test-source"', 1)
    )
    load_content(content_dir)
    assert Agreement.objects.get(slug="test-treaty").wikidata == "Q42"
    call_command("dump_content", tmp_path / "dumped")
    assert read_content(tmp_path / "dumped").agreements["test-treaty"].data["wikidata"] == "Q42"
