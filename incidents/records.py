"""How the site presents incidents and responses: their record types, their sections of
country pages, and the sections they add to norm, agreement and body pages."""

from core.models import card_deferred, public_via
from core.registry import Column, CountrySection, DetailSection, RecordType, registry
from incidents import linkgraph, timeline
from incidents.filters import IncidentFilter, ResponseFilter
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
from incidents.serializers import IncidentSerializer, ResponseSerializer


def norm_ref(norm) -> str:
    return f"{norm.framework.slug}/{norm.slug}"


# --- Export columns (relations) ----------------------------------------------


def target_codes(incident) -> list[str]:
    return [target.country.code for target in incident.targets.all()]


def engaged_norms(incident) -> list[str]:
    return [f"{norm_ref(link.norm)} (said by {link.said_by})" for link in incident.norm_links.all()]


def attributed_state(response) -> str:
    return response.attributed_state.code if response.attributed_state else ""


def incident_slugs(response) -> list[str]:
    return [link.incident.slug for link in response.incident_links.all()]


def party_codes(response) -> list[str]:
    return [link.country.code for link in response.party_links.all()]


def body_slugs(response) -> list[str]:
    return [link.body.slug for link in response.body_links.all()]


def invoked_norms(response) -> list[str]:
    return [norm_ref(link.norm) for link in response.norm_links.all()]


def agreement_refs(response) -> list[str]:
    return [f"{link.agreement.slug} ({link.relation})" for link in response.agreement_links.all()]


# --- Sections of other records' pages ----------------------------------------


def public_incident_links(model, relation="incident"):
    return model.objects.filter(public_via(model, relation))


def incidents_breaching(norm):
    return (
        public_incident_links(IncidentNorm)
        .filter(norm=norm)
        .select_related("incident", "source")
        .defer(*card_deferred("incident"))
        .order_by("-incident__began", "incident__title", "said_by")
    )


def responses_invoking(norm):
    return (
        public_incident_links(ResponseNorm, "response")
        .filter(norm=norm)
        .select_related("response")
        .defer(*card_deferred("response"))
        .order_by("-response__date", "response__title")
    )


def responses_of_agreement(agreement):
    # Those that led to it first (they preceded it), then those made under it.
    return (
        public_incident_links(ResponseAgreement, "response")
        .filter(agreement=agreement)
        .select_related("response")
        .defer(*card_deferred("response"))
        .order_by("-relation", "response__date", "response__title")
    )


def responses_of_body(body):
    return (
        public_incident_links(ResponseBody, "response")
        .filter(body=body)
        .select_related("response")
        .defer(*card_deferred("response"))
        .order_by("-response__date", "response__title")
    )


def incidents_targeting(country):
    return (
        public_incident_links(IncidentTarget)
        .filter(country=country)
        .select_related("incident")
        .order_by("-incident__began", "incident__title")
    )


def incidents_attributed_to(country):
    """Incidents that a public attribution said the state was behind."""
    attributions = Response.objects.published().attributions().filter(attributed_state=country)
    answered = ResponseIncident.objects.filter(response__in=attributions.values("pk"))
    return (
        Incident.objects.published()
        .filter(pk__in=answered.values("incident"))
        .for_card()
        .order_by("-began", "title")
    )


def responses_joined(country):
    return (
        public_incident_links(ResponseParty, "response")
        .filter(country=country)
        .select_related("response")
        .defer(*card_deferred("response"))
        .order_by("-response__date", "response__title")
    )


def register() -> None:
    registry.timeline_lanes += [timeline.INCIDENTS, timeline.RESPONSES]
    registry.link_edges.append(linkgraph.link_edges)
    registry.register(
        RecordType(
            model=Incident,
            key="incident",
            label="Incidents",
            api_prefix="incidents",
            serializer=IncidentSerializer,
            filterset=IncidentFilter,
            list_url="incidents:list",
            columns=(
                Column("target_countries", "ISO 3166-1 codes of the states reported as targeted",
                       target_codes),
                Column("norms", "the norms said to be engaged, as framework/norm (said by whom)",
                       engaged_norms),
            ),
        )
    )  # fmt: skip
    registry.register(
        RecordType(
            model=Response,
            key="response",
            label="Responses",
            api_prefix="responses",
            serializer=ResponseSerializer,
            filterset=ResponseFilter,
            list_url="incidents:response-list",
            columns=(
                Column("attributed_state", "attribution: ISO 3166-1 code of the state it names",
                       attributed_state),
                Column("incidents", "the slugs of the incidents it answers", incident_slugs),
                Column("parties", "ISO 3166-1 codes of the states that made it", party_codes),
                Column("bodies", "the slugs of the bodies that made it", body_slugs),
                Column("norms", "the norms it invokes, as framework/norm", invoked_norms),
                Column("agreements", "agreements it was made under or led to (relation)",
                       agreement_refs),
            ),
        )
    )  # fmt: skip
    registry.detail_sections += [
        DetailSection("norms.Norm", "Incidents said to breach or engage it",
                      "incidents/_norm_incidents.html", incidents_breaching),
        DetailSection("norms.Norm", "Responses that invoke it",
                      "incidents/_responses.html", responses_invoking),
        DetailSection("agreements.Agreement", "Responses to cyber incidents",
                      "incidents/_agreement_responses.html", responses_of_agreement),
        DetailSection("bodies.Body", "Responses to cyber incidents it made",
                      "incidents/_responses.html", responses_of_body),
    ]  # fmt: skip
    registry.country_sections += [
        CountrySection(label="Incidents that targeted it",
                       template="incidents/_country_targeted.html", rows=incidents_targeting),
        CountrySection(label="Incidents attributed to it",
                       template="incidents/_country_attributed.html",
                       rows=incidents_attributed_to),
        CountrySection(label="Responses to incidents it joined",
                       template="incidents/_responses.html", rows=responses_joined),
    ]  # fmt: skip
