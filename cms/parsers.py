"""The API's JSON parser: DRF's, with a limit on nesting and messages a person can read.

Python's json module recurses once per level of nesting, so a body of 1,000 brackets
raised RecursionError — a 500 — before any view or serializer could refuse it. No request
this API accepts is nested more than a few levels (an object holding a list of tags), so
the structure is measured first, without recursion, and anything deeper is a 400.
"""

import json
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Far above any body the API accepts (depth 2: {"tags": ["…"]}), far below the interpreter's
# recursion limit of 1,000.
MAX_JSON_DEPTH = 20

# A whole string literal (skipped over in one step, brackets inside it do not count) or one
# bracket. Escapes are consumed two characters at a time, so \" does not end the string.
_STRUCTURE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.DOTALL)


def json_depth_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when `text` opens more than `limit` arrays or objects inside one another."""
    depth = 0
    for match in _STRUCTURE.finditer(text):
        char = match.group()[0]
        if char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


class JSONParser(parsers.JSONParser):
    """REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] uses this one in place of DRF's."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(_("请求内容不是有效的 UTF-8 编码的 JSON。")) from exc
        if json_depth_exceeds(text):
            raise ParseError(_("请求的 JSON 嵌套太深（超过 %(max)s 层），请检查内容的结构。") % {"max": MAX_JSON_DEPTH})
        try:
            return json.loads(text, parse_constant=self._refuse_constant if self.strict else None)
        except json.JSONDecodeError as exc:
            raise ParseError(
                _("请求内容不是有效的 JSON（第 %(line)s 行第 %(column)s 列附近有错误）。")
                % {"line": exc.lineno, "column": exc.colno}
            ) from exc
        except (ValueError, RecursionError) as exc:
            # NaN / Infinity (not JSON), or a structure deep in some way the count above missed.
            raise ParseError(_("请求内容不是有效的 JSON。")) from exc

    @staticmethod
    def _refuse_constant(name: str):
        raise ValueError(f"{name} is not valid JSON")
