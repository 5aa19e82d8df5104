"""Make the OpenAPI schema say what the API really answers besides 200."""

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
