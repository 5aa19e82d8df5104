"""Learning paths (issue 14): ordered walks through published records, each step with its
connecting text; drafts (a draft path, a published path's step to a draft record) never
reach the public; editors build them in the admin; the data files load them."""

import shutil
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from content.reader import ContentError, read_content
from core.models import Status
from paths.models import LearningPath, PathStep
from reference.models import Citation
from tests.test_workflow import inline_management

DATA = Path(__file__).resolve().parent.parent / "data"


def make_path(records, *, slug="first-steps", status=Status.PUBLISHED, texts=None) -> LearningPath:
    path = LearningPath.objects.create(
        title=f"Path {slug}",
        slug=slug,
        summary="A walk through a few records.",
        minutes=20,
        status=status,
    )
    for position, record in enumerate(records, start=1):
        PathStep.objects.create(
            path=path,
            position=position,
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            text=(texts or {}).get(position, f"Why step {position} comes next."),
        )
    return path


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


@pytest.mark.django_db
def test_a_path_page_shows_each_step_in_order_with_its_text_a_card_and_links_between(client, graph):
    records = [graph["agreement"], graph["norm"], graph["body"]]
    path = make_path(records, texts={1: "Start with **the treaty**."})
    html = client.get(path.get_absolute_url()).content.decode()
    places = [html.index(f'href="{record.get_absolute_url()}"') for record in records]
    assert places == sorted(places)
    assert "Start with <strong>the treaty</strong>." in html
    for n in (1, 2, 3):
        assert f'id="step-{n}"' in html and f"Step {n} of 3" in html
    first = html[html.index('id="step-1"') : html.index('id="step-2"')]
    middle = html[html.index('id="step-2"') : html.index('id="step-3"')]
    assert 'href="#step-2">Next step' in first and "Previous step" not in first
    assert 'href="#step-1">Previous step' in middle and 'href="#step-3">Next step' in middle
    # The progress script is an external file (strict CSP), and the page reads without it.
    assert 'src="/static/js/paths.js"' in html and "<script>" not in html


@pytest.mark.django_db
def test_the_path_list_shows_each_paths_summary_minutes_and_public_step_count(client, graph):
    make_path([graph["agreement"], graph["norm"], graph["draft_agreement"]])
    html = client.get(reverse("paths:list")).content.decode()
    assert "Path first-steps" in html and "A walk through a few records." in html
    assert "about 20 minutes · 2 steps" in html  # the draft's step is not counted


@pytest.mark.django_db
def test_a_draft_path_is_a_404_and_listed_nowhere(client, editor, graph):
    draft = make_path([graph["agreement"]], slug="secret-path", status=Status.DRAFT)
    draft.title = "Secret draft path"
    draft.save()
    assert client.get(draft.get_absolute_url()).status_code == 404
    staff = Client()
    staff.force_login(editor)
    assert staff.get(draft.get_absolute_url()).status_code == 200  # staff preview
    for url in (
        reverse("paths:list"),
        reverse("api:path-list"),
        reverse("search") + "?q=secret+draft+path",
        reverse("sitemap"),
        graph["agreement"].get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "secret-path" not in body_of(response), url
        assert "Secret draft path" not in body_of(response), url


@pytest.mark.django_db
def test_a_step_to_a_draft_record_is_shown_nowhere(client, graph):
    draft = graph["draft_agreement"]
    path = make_path([graph["agreement"], draft, graph["norm"]], texts={2: "Hidden words."})
    path.themes.add(graph["theme"])
    Citation.objects.create(record=path, source=graph["source"])
    pages = [
        path.get_absolute_url(),
        reverse("api:path-detail", args=[path.slug]),
        graph["theme"].get_absolute_url() + "?format=csv",
        graph["theme"].get_absolute_url() + "?format=json",
    ]
    for url in pages:
        text = body_of(client.get(url))
        assert draft.title not in text and draft.slug not in text, url
        assert "Hidden words." not in text, url
    html = client.get(path.get_absolute_url()).content.decode()
    assert "Step 2 of 2" in html and graph["norm"].get_absolute_url() in html
    steps = client.get(reverse("api:path-detail", args=[path.slug])).json()["steps"]
    assert [step["position"] for step in steps] == [1, 3]


@pytest.mark.django_db
def test_a_step_text_is_sanitized(client, graph):
    path = make_path(
        [graph["agreement"]], texts={1: '<script>alert(1)</script><a href="javascript:x">go</a>'}
    )
    html = client.get(path.get_absolute_url()).content.decode()
    step = html[html.index('id="step-1"') :]
    assert "<script>alert" not in step and "javascript:" not in step


@pytest.mark.django_db
def test_an_editor_builds_a_path_in_the_admin_naming_steps_by_their_page(editor_client, graph):
    agreement, norm = graph["agreement"], graph["norm"]

    def form(*addresses) -> dict:
        data = {
            "title": "Treaties for beginners",
            "slug": "treaties-for-beginners",
            "summary": "A first walk.",
            "description": "",
            "status": Status.DRAFT,
            "minutes": "15",
            "level": "introductory",
            **inline_management("steps", len(addresses)),
            **inline_management("reference-citation-content_type-object_id"),
            **inline_management("reference-themeditem-content_type-object_id"),
        }
        for i, address in enumerate(addresses):
            data[f"steps-{i}-position"] = str(i + 1)
            data[f"steps-{i}-record_page"] = address
            data[f"steps-{i}-text"] = f"Text {i + 1}."
        return data

    add = reverse("admin:paths_learningpath_add")
    refused = editor_client.post(add, form("/agreements/no-such-treaty/"))
    assert refused.status_code == 200
    assert "is not the page of a record of this site" in refused.content.decode()
    assert not LearningPath.objects.filter(slug="treaties-for-beginners").exists()

    full_url = "https://cyberdiplo.example" + norm.get_absolute_url()
    response = editor_client.post(add, form(agreement.get_absolute_url(), full_url))
    assert response.status_code == 302, response.content.decode()[:2000]
    path = LearningPath.objects.get(slug="treaties-for-beginners")
    assert path.status == Status.DRAFT
    assert [step.record for step in path.steps.order_by("position")] == [agreement, norm]
    # The change page names each step's record by its page.
    change = editor_client.get(reverse("admin:paths_learningpath_change", args=[path.pk]))
    assert f'value="{norm.get_absolute_url()}"' in change.content.decode()


def test_the_shipped_paths_walk_five_to_nine_records_each():
    content = read_content(DATA)
    assert len(content.paths) >= 5
    for path in content.paths.values():
        assert 5 <= len(path.data["steps"]) <= 9, path.ref
        assert all(step.get("text") for step in path.data["steps"]), path.ref


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ('{record = "agreement:no-such-treaty"}', "steps names agreement 'no-such-treaty'"),
        ('{record = "treaty:budapest-convention"}', "must be <type>:<slug>"),
        ('{record = "agreement:budapest-convention", words = "x"}', "a step is {record, text}"),
    ],
)
def test_a_path_file_naming_an_unknown_record_is_refused_with_its_name(tmp_path, step, message):
    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    (root / "paths" / "bad.toml").write_text(
        '[path]\nslug = "bad"\ntitle = "Bad"\nsummary = "Bad."\n'
        'minutes = 5\nlevel = "introductory"\n'
        f'sources = ["coe-ets-185"]\nsteps = [{step}]\n'
    )
    with pytest.raises(ContentError) as error:
        read_content(root)
    assert "paths/bad.toml" in str(error.value) and message in str(error.value)


@pytest.mark.django_db
def test_the_shipped_paths_load_with_every_step_public(client, shipped):
    paths = list(LearningPath.objects.for_list())
    assert len(paths) >= 5
    files = read_content(DATA).paths
    for path in paths:
        steps = len(files[path.slug].data["steps"])
        assert path.step_count == steps, path.slug
        html = client.get(path.get_absolute_url()).content.decode()
        assert f"Step {steps} of {steps}" in html
