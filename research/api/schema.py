"""Make the OpenAPI schema say what the API really answers: errors, and accepted values."""

from core.registry import registry

ERRORS = {
    "type": "object",
    "description": "For each parameter in error, the messages that explain it.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}}


def document_error_responses(result, generator, request, public):
    """Every list answers 400 for a filter value it cannot use and 404 for a page past the
    end; every detail answers 404 for a record that is not published."""
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            responses.setdefault(
                "414",
                {"description": "The address is longer than the server reads (8,190 bytes)."},
            )
            responses.setdefault(
                "404",
                {
                    "description": "No such published record, or no such page.",
                    "content": {"application/json": {"schema": DETAIL}},
                },
            )
            if operation.get("parameters") and not path.endswith("/schema/"):
                responses.setdefault(
                    "400",
                    {
                        "description": "A filter value that cannot be used, with the reason.",
                        "content": {"application/json": {"schema": ERRORS}},
                    },
                )
    return result


def enumerate_filter_choices(result, generator, request, public):
    """Give each filter parameter the values the server accepts.

    Themes, parties, norms, members and frameworks are records, so their choices are
    computed from the database when the schema is generated, not at import time;
    drf-spectacular leaves such parameters as free strings, which the server then
    refuses. Every filter is optional and an empty value means "no filter", so the
    enums allow it.
    """
    paths = result.get("paths", {})
    for record_type in registry:
        if record_type.filterset is None:
            continue
        operation = paths.get(f"/api/v1/{record_type.api_prefix}/", {}).get("get")
        if not operation:
            continue
        filters = record_type.filterset.base_filters
        for parameter in operation.get("parameters", []):
            field = filters.get(parameter["name"])
            choices = field.extra.get("choices") if field is not None else None
            if choices is None:
                continue
            values = [str(value) for value, _label in (choices() if callable(choices) else choices)]
            schema = parameter["schema"]
            target = schema["items"] if schema.get("type") == "array" else schema
            target.pop("enum", None)
            target["enum"] = ["", *values]
    return result


# A NUL is refused everywhere (core.middleware); a blank year, as a form sends it, is no filter.
NO_NUL = "^[^\\u0000]*$"
YEARS = ("year_from", "year_to")


def describe_free_values(result, generator, request, public):
    """Say in the schema what the server accepts in free parameters: no NUL in text, and
    a year or nothing."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter["schema"]
                if parameter["name"] in YEARS:
                    parameter["schema"] = {"anyOf": [schema, {"type": "string", "enum": [""]}]}
                elif schema.get("type") == "string" and "enum" not in schema:
                    schema.setdefault("pattern", NO_NUL)
    return result
