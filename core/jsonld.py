"""Linked data on every record page: a schema.org description of the record, embedded as
JSON-LD (issue 14), so that search engines and linked-data tools read what the page
states: its type, names, dates, identifiers, themes and sources.

One function per page, from the record's registry key and its own fields; nothing here
names a record model (this layer imports none). Only what the page itself shows goes in,
and ``sameAs`` only where the record holds an address of the same thing (its Wikidata
item, a body's own website); no identifier is ever guessed.
"""

import json

from django.utils.safestring import mark_safe

from core.models import WIKIDATA_ENTITY
from core.registry import registry

SCHEMA = "https://schema.org"
# The schema.org type of each record type (registry key).
TYPES = {
    "agreement": "Legislation",
    "body": "GovernmentOrganization",
    "framework": "DefinedTermSet",
    "norm": "DefinedTerm",
    "term": "DefinedTerm",
    "incident": "Event",
    "response": "CreativeWork",
    "position": "CreativeWork",
    "profile": "CreativeWork",
}
# An agreement's legal status as schema.org's LegalForceStatus, where one fits.
LEGAL_FORCE = {
    "in-force": f"{SCHEMA}/InForce",
    "not-yet-in-force": f"{SCHEMA}/NotInForce",
    "ended": f"{SCHEMA}/NotInForce",
}
# JSON inside a <script> element: nothing in the data may close or open markup.
ESCAPES = {"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"}


def _put(data: dict, key: str, value) -> None:
    if value not in (None, "", [], {}):
        data[key] = value


def describe(record, url: str, absolute) -> dict:
    """The schema.org description of ``record`` at ``url`` (absolute); ``absolute``
    makes a site path absolute."""
    key = registry.get(record).key
    data = {"@context": SCHEMA, "@type": TYPES.get(key, "CreativeWork"), "@id": url, "url": url}
    data["name"] = record.title
    _put(data, "description", record.summary)
    _put(data, "dateModified", record.updated.isoformat() if record.updated else "")
    _put(data, "about", [{"@type": "Thing", "name": t.name} for t in record.themes.all()])
    _put(
        data,
        "citation",
        [c.source.url or c.source.title for c in record.citations.all()],
    )
    data["isPartOf"] = {"@type": "Dataset", "name": "Cyberdiplo", "url": absolute("/data/")}
    short = getattr(record, "short_title", "") or getattr(record, "acronym", "")
    _put(data, "alternateName", short)
    same = [f"{WIKIDATA_ENTITY}{record.wikidata}"] if record.wikidata else []
    if key == "agreement":
        _put(data, "legislationIdentifier", record.symbol)
        _put(data, "legislationDate", record.adopted)
        _put(data, "legislationLegalForce", LEGAL_FORCE.get(record.legal_status, ""))
    elif key == "body":
        _put(data, "foundingDate", record.founded)
        _put(data, "location", record.seat)
        same += [record.website] if record.website else []
    elif key == "framework":
        _put(data, "identifier", record.symbol)
        _put(data, "dateCreated", record.adopted)
    elif key == "norm":
        data["termCode"] = record.reference
        data["inDefinedTermSet"] = absolute(record.framework.get_absolute_url())
    elif key == "term":
        data["inDefinedTermSet"] = absolute("/glossary/")
    elif key == "incident":
        _put(data, "startDate", record.began)
        _put(data, "endDate", record.ended)
    elif key == "response":
        _put(data, "dateCreated", record.date)
    elif key in ("position", "profile"):
        country = country_data(record.country, absolute)
        if key == "position":
            data["author"] = country
            _put(data, "datePublished", record.published)
            _put(data, "identifier", record.symbol)
        else:
            data["about"] = [country, *data.get("about", [])]
    _put(data, "sameAs", same)
    return data


def country_data(country, absolute) -> dict:
    return {
        "@type": "Country",
        "name": country.name,
        "identifier": country.code,
        "url": absolute(country.get_absolute_url()),
    }


def script(data: dict) -> str:
    """``data`` as a JSON-LD <script> element, safe inside HTML (a data block: nothing
    runs, so the content security policy has nothing to allow)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    # str.replace, not str.translate: a treaty's data with its parties is tens of kilobytes,
    # which translate walks a character at a time in Python (1 ms against 0.02).
    for character, escaped in ESCAPES.items():
        text = text.replace(character, escaped)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
