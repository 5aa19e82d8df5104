"""Issue 13's coverage report: primary and secondary sources, and each section of
``content_report`` finding what is planted in the data files and silent on clean ones."""

import datetime
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Agreement
from content.loader import load_content, read_content
from reference.models import Source

VALID = Path(__file__).parent / "content" / "valid"

# An agreement whose treaty office publishes dates (one of the treaties issue 13 names),
# written beside the small valid data set; {parties} are [[party]] tables.
DATED_TREATY = """[agreement]
slug = "budapest-convention"
title = "Convention on Cybercrime"
kind = "multilateral-treaty"
reach = "plurilateral"
legally_binding = true
adopted = "2001-11-23"
entry_into_force = "2004-07-01"
legal_status = "in-force"
status_as_of = "2026-01-14"
summary = "A treaty of the tests."
sources = ["test-source"]
{parties}"""
DATED_PARTIES = """
[[party]]
country = "FR"
signed = "2001-11-23"
consent_kind = "ratification"
consent = "2006-01-10"
as_of = "2026-01-14"

[[party]]
country = "US"
signed = "2001-11-23"
as_of = "2026-01-14"
"""


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A writable copy of the small valid data set."""
    target = tmp_path / "data"
    shutil.copytree(VALID, target)
    return target


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text()
    assert old in text, "the test's own edit must apply"
    path.write_text(text.replace(old, new, 1))


def report(*args) -> str:
    out = StringIO()
    call_command("content_report", "--fewest", "0", *args, stdout=out)
    return out.getvalue()


def section(text: str, heading: str) -> list[str]:
    """The lines listed under ``heading``, after checking they are as many as it says."""
    match = re.search(rf"^{re.escape(heading)}: (\d+)\n((?:  .*\n)*)", text, re.MULTILINE)
    assert match, f"no section {heading!r} in the report"
    lines = [line.strip() for line in match[2].splitlines()]
    assert int(match[1]) == len(lines)
    return lines


UNDATED = "Party rows without a date (treaties whose office publishes dates)"
FLAGGED = "Party rows undated, flagged (an unconfirmed reason says why)"
PLACEHOLDERS = "Placeholder 'as of' dates"
PHRASES = "Research-process phrases in public text"
SECONDARY = "Records whose only sources are secondary"


# --- Source.secondary --------------------------------------------------------


@pytest.mark.django_db
def test_a_secondary_source_loads_and_dumps_back(content_dir, tmp_path):
    edit(content_dir, "sources.toml", 'symbol = "T/1"\n', 'symbol = "T/1"\nsecondary = true\n')
    load_content(content_dir)
    assert Source.objects.get(key="test-source").secondary is True
    call_command("dump_content", tmp_path / "dumped")
    assert read_content(tmp_path / "dumped").sources["test-source"].data["secondary"] is True
    again = load_content(tmp_path / "dumped")
    assert (again.created, again.updated) == (0, 0)


@pytest.mark.django_db
def test_a_source_is_primary_unless_marked_and_dumps_without_the_key(content_dir, tmp_path):
    load_content(content_dir)
    assert Source.objects.get(key="test-source").secondary is False
    call_command("dump_content", tmp_path / "dumped")
    assert "secondary" not in (tmp_path / "dumped" / "sources.toml").read_text()


@pytest.mark.django_db
def test_the_api_says_whether_each_source_is_secondary(content_dir, client):
    edit(content_dir, "sources.toml", 'symbol = "T/1"\n', 'symbol = "T/1"\nsecondary = true\n')
    load_content(content_dir)
    sources = client.get("/api/v1/agreements/test-treaty/").json()["sources"]
    assert [s["secondary"] for s in sources] == [True]


# --- make check-content: well-formed, unique source URLs ---------------------

BAD_URLS = [
    ("https://exa mple.org/source", "Enter an http(s) URL"),
    ("https://example.org:99999/source", "not a well-formed URL"),
    ("https://example", "Enter an http(s) URL"),
    ("http://www.Example.org/other/", "url is also the url of source test-source"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("url,words", BAD_URLS, ids=[u for u, _ in BAD_URLS])
def test_check_content_refuses_a_malformed_or_duplicate_source_url(content_dir, url, words):
    (content_dir / "sources.toml").write_text(
        (content_dir / "sources.toml")
        .read_text()
        .replace("example.org/source", "example.org/other")
        + f'\n[[source]]\nkey = "second"\ntitle = "Second"\npublisher = "P"\nurl = "{url}"\n'
    )
    with pytest.raises(CommandError) as excinfo:
        call_command("load_content", content_dir, "--dry-run")
    assert "source second" in str(excinfo.value) and words in str(excinfo.value)


# --- The report's sections ---------------------------------------------------


@pytest.mark.django_db
def test_every_section_is_silent_on_clean_content(content_dir):
    (content_dir / "agreements" / "budapest-convention.toml").write_text(
        DATED_TREATY.format(parties=DATED_PARTIES)
    )
    text = report("--data", str(content_dir), "--check")
    for heading in (UNDATED, FLAGGED, PLACEHOLDERS, PHRASES, SECONDARY):
        assert section(text, heading) == []


@pytest.mark.django_db
def test_undated_parties_of_the_named_treaties_are_listed_and_flagged_ones_apart(content_dir):
    parties = (
        DATED_PARTIES.replace('consent = "2006-01-10"\n', "").replace(
            'signed = "2001-11-23"\nas_of', "as_of"
        )
        + '\n[[party]]\nbody = "test-body"\nconsent_kind = "accession"\nas_of = "2026-01-14"\n'
        + ('unconfirmed = {consent = "day of deposit not known"}\n')
    )
    (content_dir / "agreements" / "budapest-convention.toml").write_text(
        DATED_TREATY.format(parties=parties)
    )
    # The same gap in a treaty the issue does not name is not listed.
    edit(content_dir, "agreements/test-treaty.toml", 'signed = "2002"\n', "")
    text = report("--data", str(content_dir))
    assert section(text, UNDATED) == [
        "budapest-convention  FR: ratification without its date",
        "budapest-convention  US: no date",
    ]
    assert section(text, FLAGGED) == [
        "budapest-convention  body test-body: accession without its date "
        "(consent: day of deposit not known)"
    ]


NEXT_YEAR = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
PLANTED_AS_OF = [
    # (file, text, replacement, the line the report must give)
    ("agreements/test-treaty.toml", 'signed = "2002"\nas_of = "2026-11-01"',
     f'signed = "2002"\nas_of = "{NEXT_YEAR}"',
     f"agreement test-treaty, party body test-body: as of {NEXT_YEAR}, after today"),
    ("agreements/test-treaty.toml", 'signed = "2002"\nas_of = "2026-11-01"',
     'signed = "2002"\nas_of = "2020-01-01"',
     "agreement test-treaty, party body test-body: as of 2020-01-01, 1 January, a year typed "
     "as a date"),
    ("agreements/test-treaty.toml", 'signed = "2002"\nas_of = "2026-11-01"',
     'signed = "2002"\nas_of = "2001-12-31"',
     "agreement test-treaty, party body test-body: as of 2001-12-31, before its signature 2002"),
    ("agreements/test-treaty.toml", 'as_of = "2026-11-01"\n\n[[party]]',
     'as_of = "2005-03-01"\n\n[[party]]',
     "agreement test-treaty, party FR: as of 2005-03-01, before its consent 2006-01-10"),
    ("agreements/test-treaty.toml", 'status_as_of = "2026-11-01"', 'status_as_of = "2003-05-05"',
     "agreement test-treaty: status as of 2003-05-05, before its entry into force 2004-07-01"),
    ("bodies/test-body.toml", 'members_as_of = "2026-11-01"', 'members_as_of = "2004-06-30"',
     "body test-body: members as of 2004-06-30, before its member US joining 2005"),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("name,old,new,line", PLANTED_AS_OF, ids=[p[3] for p in PLANTED_AS_OF])
def test_a_placeholder_as_of_date_is_listed_and_fails_the_check(content_dir, name, old, new, line):
    edit(content_dir, name, old, new)
    with pytest.raises(CommandError, match="defect"):
        report("--data", str(content_dir), "--check")
    assert section(report("--data", str(content_dir)), PLACEHOLDERS) == [line]


@pytest.mark.django_db
def test_one_as_of_copied_down_every_party_row_before_the_treaty_entered_into_force(content_dir):
    parties = DATED_PARTIES.replace('consent = "2006-01-10"\n', "").replace(
        "2026-01-14", "2001-11-23"
    )
    (content_dir / "agreements" / "budapest-convention.toml").write_text(
        DATED_TREATY.format(parties=parties).replace('consent_kind = "ratification"\n', "")
    )
    assert section(report("--data", str(content_dir)), PLACEHOLDERS) == [
        "agreement budapest-convention: all 2 party rows as of 2001-11-23, before the "
        "agreement's entry into force 2004-07-01"
    ]
    # The signatories of a statement that never enters into force, as of its date: real.
    edit(
        content_dir, "agreements/budapest-convention.toml", 'entry_into_force = "2004-07-01"\n', ""
    )
    edit(content_dir, "agreements/budapest-convention.toml", '"in-force"', '"non-binding"')
    assert section(report("--data", str(content_dir)), PLACEHOLDERS) == []


PLANTED_PHRASES = [
    ("agreements/test-treaty.toml", "A treaty used by the tests.",
     "A treaty; the stored copy we could read is short.",
     "agreement /agreements/test-treaty/, summary: stored copy, we could read"),
    ("agreements/test-treaty.toml", 'signed = "2002"\n',
     'signed = "2002"\nnote = "Signature NOT VERIFIED."\n',
     "participation Test body (TB) in Test Treaty, note: not verified"),
    ("agreements/test-treaty.toml", '[agreement]\n',
     '[agreement]\nunconfirmed = {symbol = "the chart could not be retrieved"}\n',
     "agreement /agreements/test-treaty/, unconfirmed: could not be retrieved"),
    ("frameworks/test-framework.toml", 'quotation = "States should test."',
     'quotation = "States should test. Not checked."',
     "norm /norms/test-framework/13a/, quotation: not checked"),
    ("agreements/test-treaty.toml", 'relation = "implements", note = "Art. 1"',
     'relation = "implements", note = "Art. 1, not checked"',
     "norm link Test Treaty implements First test norm (T/1 13(a)), note: not checked"),
    ("bodies/test-body.toml", 'sources = ["test-source"]',
     'sources = [{source = "test-source", pinpoint = "our copy, p. 2"}]',
     "citation of source test-source, pinpoint: our copy"),
    ("themes.toml", "Crimes committed against or by means of computer systems.",
     "Crimes against computer systems. TODO: more.", "theme cybercrime, description: todo"),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,old,new,line", PLANTED_PHRASES, ids=[p[3].split(",")[0] for p in PLANTED_PHRASES]
)
def test_a_research_process_phrase_in_public_text_is_listed_and_fails_the_check(
    content_dir, name, old, new, line
):
    edit(content_dir, name, old, new)
    with pytest.raises(CommandError, match="defect"):
        report("--data", str(content_dir), "--check")
    assert section(report("--data", str(content_dir)), PHRASES) == [line]


@pytest.mark.django_db
def test_words_that_only_contain_a_phrase_are_not_research_phrases(content_dir):
    edit(
        content_dir,
        "agreements/test-treaty.toml",
        "A treaty used by the tests.",
        "Parties not verifiedly bound; we could readily see it; the TODOs of others.",
    )
    assert section(report("--data", str(content_dir), "--check"), PHRASES) == []


@pytest.mark.django_db
def test_records_whose_only_sources_are_secondary_are_listed(content_dir):
    edit(content_dir, "sources.toml", 'symbol = "T/1"\n', 'symbol = "T/1"\nsecondary = true\n')
    (content_dir / "sources.toml").write_text(
        (content_dir / "sources.toml").read_text()
        + '\n[[source]]\nkey = "primary"\ntitle = "The text"\npublisher = "Depositary"\n'
        + 'url = "https://example.org/primary"\n'
    )
    # The treaty also cites a primary source: not listed; everything else is.
    edit(
        content_dir,
        "agreements/test-treaty.toml",
        'sources = ["test-source"]',
        'sources = ["test-source", "primary"]',
    )
    lines = section(report("--data", str(content_dir)), SECONDARY)
    assert "agreement /agreements/test-protocol/: Protocol to the test treaty" in lines
    assert "body /bodies/test-body/: Test body (TB)" in lines
    assert not any("test-treaty" in line for line in lines)
    # Secondary sources are gaps, not defects: the check passes.
    report("--data", str(content_dir), "--check")


@pytest.mark.django_db
def test_coverage_targets_show_published_counts_with_a_tick_or_a_cross(content_dir):
    text = report("--data", str(content_dir))
    targets = text.split("Coverage targets (published records)\n")[1]
    rows = re.findall(r"^  (\w[\w ]*?) +(\d+) / (\d+) (\S)$", targets, re.MULTILINE)
    assert [label for label, *_ in rows] == ["agreements", "norms", "bodies", "national positions"]
    assert ("agreements", "2", "130", "\u2717") in rows


@pytest.mark.django_db
def test_coverage_targets_are_ticked_where_the_shipped_content_meets_them(shipped):
    targets = report().split("Coverage targets (published records)\n")[1]
    rows = re.findall(r"^  (\w[\w ]*?) +(\d+) / (\d+) (\S)$", targets, re.MULTILINE)
    assert len(rows) == 4
    for label, published, target, mark in rows:
        assert mark == ("\u2713" if int(published) >= int(target) else "\u2717"), label
    assert "\u2713" in {mark for *_, mark in rows}


@pytest.mark.django_db
def test_the_report_on_data_files_writes_nothing(content_dir):
    text = report("--data", str(content_dir))
    assert re.search(r"agreements +2 / 2", text)
    assert not Agreement.objects.exists() and not Source.objects.exists()


@pytest.mark.django_db
def test_a_broken_data_file_is_a_clear_error_not_a_traceback(content_dir):
    (content_dir / "stray.toml").write_text("x = 1\n")
    with pytest.raises(CommandError, match="Cannot report on .*stray.toml"):
        report("--data", str(content_dir))


@pytest.mark.django_db
def test_the_report_runs_the_same_queries_however_many_rows_and_findings(content_dir):
    def parties(codes) -> str:
        return "".join(
            f'\n[[party]]\n{code}\nconsent_kind = "accession"\nas_of = "2020-01-01"\n'
            'note = "Not verified."\n'
            for code in codes
        )

    treaty = content_dir / "agreements" / "budapest-convention.toml"
    # One row of each kind that a line names (a country party, a body party, a norm link),
    # then more of each: the queries must not follow the rows or the findings.
    treaty.write_text(
        DATED_TREATY.format(parties=parties(['country = "FR"', 'body = "test-body"']))
    )
    edit(content_dir, "agreements/test-treaty.toml", 'note = "Art. 1"', 'note = "not checked"')
    load_content(content_dir)
    # Both reports start as a new process does, with no content type remembered: which
    # test ran before this one in the worker must not change the count.
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as few:
        text = report()
    assert len(section(text, PLACEHOLDERS)) == 2 and len(section(text, PHRASES)) == 3

    treaty.write_text(
        DATED_TREATY.format(
            parties=parties(['country = "FR"', 'country = "US"', 'body = "test-body"'])
        )
    )
    edit(
        content_dir,
        "agreements/test-protocol.toml",
        "related =",
        'norms = [{norm = "test-framework/13b", relation = "affirms", note = "not verified"}]\n'
        "related =",
    )
    load_content(content_dir)
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as many:
        text = report()
    assert len(section(text, PLACEHOLDERS)) == 3 and len(section(text, PHRASES)) == 5
    assert len(many) == len(few)


def test_a_sample_of_claims_is_drawn_from_the_hard_facts_and_repeats_with_its_seed(tmp_path):
    from content.management.commands.sample_claims import claims

    data = tmp_path / "data"
    shutil.copytree(VALID, data)
    (data / "agreements" / "dated.toml").write_text(DATED_TREATY.format(parties=DATED_PARTIES))
    drawn = claims(data)
    fields = {(c.field, c.value) for c in drawn if "dated.toml" in c.where}
    assert ("adopted", "2001-11-23") in fields and ("consent", "2006-01-10") in fields
    assert ("consent_kind", "ratification") in fields
    assert not {field for field, _value in fields} & {"as_of", "status_as_of", "summary", "title"}
    party = next(c for c in drawn if c.where.endswith("[party] FR") and c.field == "consent")
    assert party.sources  # the record's sources, for the checker

    def sample(seed: int) -> str:
        out = StringIO()
        call_command("sample_claims", seed=seed, count=5, data=data, stdout=out)
        return out.getvalue()

    assert sample(7) == sample(7) != sample(8)
    assert sample(7).count("\n1. ") == 1 and "\n5. " in sample(7)
    with pytest.raises(CommandError, match="--count must be between 1 and"):
        call_command("sample_claims", seed=1, count=len(drawn) + 1, data=data)
