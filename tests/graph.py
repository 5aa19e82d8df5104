"""Build a published knowledge graph of any size, with a draft of every type beside it."""

import datetime

from django.contrib.contenttypes.models import ContentType

from agreements.models import Agreement, AgreementLink, NormLink, Participation
from bodies.models import Body, Membership
from core.models import Status
from glossary.models import GlossaryTerm
from incidents.models import (
    Incident,
    IncidentNorm,
    IncidentTarget,
    Response,
    ResponseAgreement,
    ResponseBody,
    ResponseIncident,
    ResponseNorm,
    ResponseParty,
)
from norms.models import Norm, NormFramework, Restatement
from paths.models import LearningPath, PathStep
from positions.models import NationalPosition, PositionNorm
from profiles.models import CountryProfile
from reference.models import Citation, Country, Source, Theme

AS_OF = datetime.date(2026, 11, 1)


def cite(record, source, pinpoint=""):
    Citation.objects.create(record=record, source=source, pinpoint=pinpoint)


def step(path, position: int, record, text: str = "") -> PathStep:
    return PathStep.objects.create(
        path=path, position=position, content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk, text=text or f"Why step {position} comes next.",
    )  # fmt: skip


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
            reach=Agreement.Reach.PLURILATERAL,
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
            Restatement.objects.create(norm=norms[0], restates=made["norm"], note="again")
            Membership.objects.create(body=body, country=made["country"])
            Participation.objects.create(agreement=agreement, country=made["country"], as_of=AS_OF)
            Participation.objects.create(agreement=agreement, body=made["body"], as_of=AS_OF)
            framework.produced_by = made["body"]
            framework.save()
        incident, responses = _incident(i, made, country, body, agreement, norms[0], source)
        position = NationalPosition.objects.create(
            title=f"Country {i} on international law in cyberspace",
            slug=f"position-{i}",
            country=country,
            kind=NationalPosition.Kind.NATIONAL_PAPER,
            published="2021-07",
            forum="UN GGE compendium",
            issues=["sovereignty", "due-diligence"],
            summary=f"Country {i} holds that sovereignty is a rule of international law.",
            status=Status.PUBLISHED,
        )
        PositionNorm.objects.create(position=position, norm=norms[2], note="“due diligence”")
        if i:
            PositionNorm.objects.create(position=position, norm=made["norm"])
        profile = CountryProfile.objects.create(
            title=f"Country {i}: cyber policy in brief",
            slug=f"country-{i}",
            country=country,
            strategy=f"National Cyber Strategy {i}",
            strategy_adopted="2019-05",
            lead_agencies="National Cyber Agency; Ministry of Foreign Affairs (cyber diplomacy)",
            summary=f"Country {i} adopted its strategy in 2019.",
            status=Status.PUBLISHED,
        )
        path = LearningPath.objects.create(
            title=f"Path {i}",
            slug=f"path-{i}",
            minutes=20,
            summary=f"Path {i} walks from a body to a norm.",
            status=Status.PUBLISHED,
        )
        for n, record in enumerate((body, agreement, norms[0], incident), start=1):
            step(path, n, record)
        records = (body, framework, agreement, *norms, incident, *responses, position, profile)
        for record in (*records, path):
            cite(record, source, "para. 13")
            record.themes.add(theme, other_theme)
        if not i:
            made.update(
                country=country, body=body, framework=framework, norm=norms[0], agreement=agreement
            )
            made.update(incident=incident, response=responses[0], position=position)
            made.update(profile=profile, path=path)
    made.update(_drafts(made, source, theme))
    made.update(theme=theme, source=source)
    return made


def _incident(i: int, made: dict, country, body, agreement, norm, source):
    """Incident ``i``, its attribution and (for the first) a sanctions response; later ones
    also answer and link to the first records, so that their pages grow with the graph."""
    incident = Incident.objects.create(
        title=f"Incident {i} operation",
        slug=f"incident-{i}",
        short_title=f"Incident {i}",
        kind=Incident.Kind.DISRUPTION,
        began=f"{2010 + i % 10}-05-12",
        target_sectors=["health", "energy"],
        effect=f"Incident {i} disrupted hospitals.",
        summary=f"Incident {i} was attributed by Country {i}.",
        status=Status.PUBLISHED,
    )
    IncidentTarget.objects.create(incident=incident, country=country)
    IncidentNorm.objects.create(
        incident=incident, norm=norm, said_by=f"Country {i}", source=source, note="para. 13"
    )
    attribution = Response.objects.create(
        title=f"Country {i} attributes Incident {i}",
        slug=f"attribution-{i}",
        kind=Response.Kind.ATTRIBUTION,
        date=f"{2011 + i % 10}-02",
        attributed_actor=f"Actor {i}",
        attributed_state=made.get("country", country),
        confidence="highly likely",
        summary=f"Country {i} said Actor {i} was behind Incident {i}.",
        status=Status.PUBLISHED,
    )
    responses = [attribution]
    if not i:
        responses.append(
            Response.objects.create(
                title="Sanctions over Incident 0",
                slug="sanctions-0",
                kind=Response.Kind.SANCTIONS,
                date="2012-07-30",
                legal_act="Council Decision 0",
                summary="Body 0 listed those it held responsible for Incident 0.",
                status=Status.PUBLISHED,
            )
        )
    for response in responses:
        ResponseIncident.objects.create(response=response, incident=incident)
        ResponseParty.objects.create(response=response, country=country)
        ResponseBody.objects.create(response=response, body=body)
        ResponseNorm.objects.create(response=response, norm=norm, note="critical infrastructure")
        ResponseAgreement.objects.create(
            response=response,
            agreement=agreement,
            relation="made-under" if response.kind == "sanctions" else "led-to",
        )
    if i:
        ResponseIncident.objects.create(response=attribution, incident=made["incident"])
        ResponseParty.objects.create(response=made["response"], country=country)
        ResponseNorm.objects.create(response=attribution, norm=made["norm"])
        ResponseAgreement.objects.create(
            response=attribution, agreement=made["agreement"], relation="led-to"
        )
        ResponseBody.objects.create(response=attribution, body=made["body"])
        IncidentTarget.objects.create(incident=incident, country=made["country"])
        IncidentNorm.objects.create(incident=incident, norm=made["norm"], said_by="Country 0")
    return incident, responses


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
    Restatement.objects.create(norm=norm, restates=made["norm"])
    agreement = Agreement.objects.create(
        title="Secret draft agreement",
        slug="draft-agreement",
        kind="bilateral",
        reach="bilateral",
        legally_binding=False,
        legal_status="non-binding",
        status_as_of=AS_OF,
        summary="Draft.",
    )
    term = GlossaryTerm.objects.create(
        title="Secret draft term", slug="draft-term", summary="Draft."
    )
    incident = Incident.objects.create(
        title="Secret draft incident",
        slug="draft-incident",
        kind="espionage",
        began="2019",
        target_sectors=["health"],
        effect="Draft.",
        summary="Draft.",
    )
    response = Response.objects.create(
        title="Secret draft response",
        slug="draft-response",
        kind="attribution",
        date="2020",
        attributed_state=made["country"],
        summary="Draft.",
    )
    IncidentTarget.objects.create(incident=incident, country=made["country"])
    IncidentNorm.objects.create(incident=incident, norm=made["norm"], said_by="Draft")
    ResponseIncident.objects.create(response=response, incident=made["incident"])
    ResponseIncident.objects.create(response=made["response"], incident=incident)
    ResponseParty.objects.create(response=response, country=made["country"])
    ResponseBody.objects.create(response=response, body=made["body"])
    ResponseBody.objects.create(response=made["response"], body=body)
    ResponseNorm.objects.create(response=response, norm=made["norm"])
    ResponseNorm.objects.create(response=made["response"], norm=norm)
    ResponseAgreement.objects.create(
        response=response, agreement=made["agreement"], relation="led-to"
    )
    ResponseAgreement.objects.create(
        response=made["response"], agreement=agreement, relation="made-under"
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
    position = NationalPosition.objects.create(
        title="Secret draft position",
        slug="draft-position",
        country=made["country"],
        kind="speech",
        published="2022",
        summary="Draft.",
    )
    PositionNorm.objects.create(position=position, norm=made["norm"], note="Draft link")
    PositionNorm.objects.create(position=made["position"], norm=norm, note="Link to a draft")
    profile = CountryProfile.objects.create(
        title="Secret draft profile",
        slug="draft-profile",
        country=Country.objects.create(code="QZ", name="Draftland", region="europe"),
        strategy="Secret draft strategy",
        summary="Draft.",
    )
    path = LearningPath.objects.create(
        title="Secret draft path", slug="draft-path", minutes=5, summary="Draft."
    )
    step(path, 1, made["agreement"])
    # A published path's step to a draft record: never shown.
    step(made["path"], 5, agreement, "Secret draft step text.")
    drafts = (body, framework, norm, agreement, term, incident, response, position, profile, path)
    for record in drafts:
        record.themes.add(theme)
        cite(record, source)
    return {
        "draft_body": body,
        "draft_framework": framework,
        "draft_norm": norm,
        "draft_agreement": agreement,
        "draft_term": term,
        "draft_incident": incident,
        "draft_response": response,
        "draft_position": position,
        "draft_profile": profile,
        "draft_path": path,
    }
