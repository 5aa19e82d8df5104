"""Logging filters: a client's mistake is information, a server's is an error."""

import logging


class ClientErrorsAsInfo(logging.Filter):
    """Log 4xx responses (a BadRequest, a 404, a bad Host) at INFO without a traceback.

    Django logs them as warnings, some with the exception's traceback: under a
    fuzzer or a scanner that floods the log and hides the 5xx that matter.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.levelno = logging.INFO
            record.levelname = "INFO"
            record.exc_info = None
            record.exc_text = None
        return True
