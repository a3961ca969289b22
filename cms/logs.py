"""Logging filters."""

import logging
import re

# "GET /search/?q=110101199003071234 HTTP/1.1" -> "GET /search/ HTTP/1.1"
_QUERY = re.compile(r"\?[^\s\"']*")


class DropQueryString(logging.Filter):
    """Removes query strings from request lines (Django's runserver logs them whole): citizens type ID and phone
    numbers into search, and an access log is kept and read by many."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _QUERY.sub("", record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_QUERY.sub("", arg) if isinstance(arg, str) else arg for arg in record.args)
        return True


class AtLeast(logging.Filter):
    """Passes records of this level and above, whatever level the logger was set to by the code that uses it."""

    def __init__(self, level: str = "WARNING"):
        super().__init__()
        self.level = logging.getLevelName(level.upper())
        if not isinstance(self.level, int):
            raise ValueError(f"unknown log level {level!r}")

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level
