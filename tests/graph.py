"""Build a published knowledge graph of any size, with a draft of every type beside it."""

import datetime

from agreements.models import Agreement, AgreementLink, NormLink, Participation
from bodies.models import Body, Membership
from core.models import Status
from glossary.models import GlossaryTerm
from norms.models import Norm, NormFramework
from reference.models import Citation, Country, Source, Theme

AS_OF = datetime.date(2026, 11, 1)


def cite(record, source, pinpoint=""):
    Citation.objects.create(record=record, source=source, pinpoint=pinpoint)


def make_graph(scale: int = 1) -> dict:
    """``scale`` published records of each type, linked in every direction, and drafts.

    Returns the first record of each type (``agreement``, ``norm``...) and each
    draft (``draft_agreement``...), so tests can open their pages.
    """
    source = Source.objects.create(
        key="a-70-174",
        title="Report of the Group of Governmental Experts",
        publisher="United Nations General Assembly",
        url="https://undocs.org/A/70/174",
        date="2015-07-22",
        symbol="A/70/174",
    )
    theme = Theme.objects.create(
        name="Confidence-building measures",
        slug="confidence-building-measures",
        description="Steps that make states' behaviour more predictable.",
    )
    other_theme = Theme.objects.create(
        name="Cybercrime", slug="cybercrime", description="Crimes against computer systems."
    )
    GlossaryTerm.objects.create(
        title="Ratification",
        slug="ratification",
        summary="How a state consents to be bound by a treaty.",
        aliases=["ratified"],
        status=Status.PUBLISHED,
    )
    made: dict = {}
    for i in range(scale):
        country = Country.objects.create(code=_code(i), name=f"Country {i}", region="europe")
        body = Body.objects.create(
            title=f"Body {i}",
            slug=f"body-{i}",
            acronym=f"B{i}",
            kind=Body.Kind.INTERGOVERNMENTAL,
            summary=f"Body {i} brings states together.",
            status=Status.PUBLISHED,
            members_as_of=AS_OF,
        )
        framework = NormFramework.objects.create(
            title=f"Framework {i}",
            slug=f"framework-{i}",
            kind=NormFramework.Kind.UN_REPORT,
            symbol=f"A/{70 + i}/174",
            adopted="2015-07-22",
            produced_by=body,
            summary=f"Framework {i} sets out norms.",
            status=Status.PUBLISHED,
        )
        norms = [
            Norm.objects.create(
                framework=framework,
                title=f"Norm {i}.{j}",
                slug=f"13{'abc'[j]}",
                reference=f"13({'abc'[j]})",
                position=j,
                summary=f"Norm {i}.{j} asks states to behave.",
                status=Status.PUBLISHED,
            )
            for j in range(3)
        ]
        agreement = Agreement.objects.create(
            title=f"Agreement {i}",
            slug=f"agreement-{i}",
            kind=Agreement.Kind.MULTILATERAL_TREATY,
            legally_binding=True,
            adopted="2001-11-23",
            entry_into_force="2004-07-01",
            legal_status=Agreement.LegalStatus.IN_FORCE,
            status_as_of=AS_OF,
            summary=f"Agreement {i} must be ratified by its parties.",
            description="It **matters**.",
            status=Status.PUBLISHED,
        )
        body.established_by = agreement
        body.save()
        body.promoted_norms.add(norms[0])
        Membership.objects.create(body=body, country=country, since="2004")
        Participation.objects.create(
            agreement=agreement,
            country=country,
            signed="2001-11-23",
            consent_kind="ratification",
            consent="2003",
            entry_into_force="2004-07-01",
            as_of=AS_OF,
        )
        Participation.objects.create(agreement=agreement, body=body, signed="2002", as_of=AS_OF)
        NormLink.objects.create(
            agreement=agreement, norm=norms[0], relation="affirms", note="Art. 1"
        )
        NormLink.objects.create(agreement=agreement, norm=norms[1], relation="references")
        if i:
            # Every later record links to the first ones, so their pages grow with the graph.
            AgreementLink.objects.create(
                source=agreement, target=made["agreement"], relation="supplements"
            )
            NormLink.objects.create(agreement=agreement, norm=made["norm"], relation="affirms")
            body.promoted_norms.add(made["norm"])
            Membership.objects.create(body=body, country=made["country"])
            Participation.objects.create(agreement=agreement, country=made["country"], as_of=AS_OF)
            Participation.objects.create(agreement=agreement, body=made["body"], as_of=AS_OF)
            framework.produced_by = made["body"]
            framework.save()
        for record in (body, framework, agreement, *norms):
            cite(record, source, "para. 13")
            record.themes.add(theme, other_theme)
        if not i:
            made.update(
                country=country, body=body, framework=framework, norm=norms[0], agreement=agreement
            )
    made.update(_drafts(made, source, theme))
    made.update(theme=theme, source=source)
    return made


def _code(i: int) -> str:
    return chr(65 + (i // 26) % 26) + chr(65 + i % 26)


def _drafts(made: dict, source, theme) -> dict:
    """One unpublished record of each type, linked to the published ones."""
    body = Body.objects.create(
        title="Secret draft body", slug="draft-body", kind="other", summary="Draft."
    )
    framework = NormFramework.objects.create(
        title="Secret draft framework", slug="draft-framework", kind="un-report", summary="Draft."
    )
    norm = Norm.objects.create(
        framework=made["framework"],
        title="Secret draft norm",
        slug="draft-norm",
        reference="99",
        summary="Draft.",
        status=Status.REVIEW,
    )
    agreement = Agreement.objects.create(
        title="Secret draft agreement",
        slug="draft-agreement",
        kind="bilateral",
        legally_binding=False,
        legal_status="non-binding",
        status_as_of=AS_OF,
        summary="Draft.",
    )
    term = GlossaryTerm.objects.create(
        title="Secret draft term", slug="draft-term", summary="Draft."
    )
    # Drafts linked to and from published records must not surface through the links.
    NormLink.objects.create(agreement=agreement, norm=made["norm"], relation="affirms")
    NormLink.objects.create(agreement=made["agreement"], norm=norm, relation="affirms")
    AgreementLink.objects.create(source=agreement, target=made["agreement"], relation="amends")
    Participation.objects.create(agreement=agreement, country=made["country"], as_of=AS_OF)
    Participation.objects.create(agreement=made["agreement"], body=body, as_of=AS_OF)
    Membership.objects.create(body=body, country=made["country"])
    body.promoted_norms.add(made["norm"])
    made["body"].promoted_norms.add(norm)
    framework.produced_by = made["body"]
    framework.save()
    for record in (body, framework, norm, agreement, term):
        record.themes.add(theme)
        cite(record, source)
    return {
        "draft_body": body,
        "draft_framework": framework,
        "draft_norm": norm,
        "draft_agreement": agreement,
        "draft_term": term,
    }
