"""Page-number pagination whose schema states that pages count from 1."""

from rest_framework import exceptions, pagination


class PageNumberPagination(pagination.PageNumberPagination):
    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
            # DRF reads an empty page as page 1; the schema says a whole number from 1 up.
            raise exceptions.ValidationError(
                {"page": [f"The page number must be a whole number from 1 up, not “{raw[:20]}”."]}
            )
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                # page=0 answers 404, like a page past the end: the schema refuses it.
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
        return parameters
