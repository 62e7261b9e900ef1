"""A database error anywhere in a request is a 503 with a readable message (reliability.middleware).

These use Django's real exception handling around a handler that fails the way a lost
database connection does; test_faults cuts a real PostgreSQL connection off.
"""

import json

import pytest
from django.core.handlers.exception import convert_exception_to_response
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from reliability.middleware import DatabaseUnavailableMiddleware


def _site(error: Exception):
    def failing(request):
        raise error

    # As Django builds the stack: each layer converts its exceptions into a response.
    return convert_exception_to_response(DatabaseUnavailableMiddleware(convert_exception_to_response(failing)))


@pytest.mark.parametrize("error", [OperationalError("server closed the connection"), InterfaceError("closed")])
def test_an_api_request_gets_json_503(error):
    response = _site(error)(RequestFactory().get("/api/v1/articles/"))
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"]
    assert "数据库暂时无法连接" in json.loads(response.content)["detail"]
    assert "数据库暂时无法连接".encode() in response.content  # characters, not \\u escapes


def test_a_page_gets_an_html_503_without_a_traceback():
    response = _site(OperationalError("could not connect to server"))(RequestFactory().get("/a/x/"))
    assert response.status_code == 503
    body = response.content.decode()
    assert "服务暂时不可用" in body and "数据库暂时无法连接" in body
    assert "Traceback" not in body and "OperationalError" not in body


def test_any_other_error_stays_a_500():
    response = _site(ValueError("a bug"))(RequestFactory().get("/a/x/"))
    assert response.status_code == 500
