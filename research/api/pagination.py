"""Page-number pagination whose schema states that pages count from 1."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                # page=0 answers 404, like a page past the end: the schema refuses it.
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
        return parameters
