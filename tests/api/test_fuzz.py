"""Schemathesis against the OpenAPI schema: generated requests, valid and invalid, must never give
a 500 and every answer must match the documented status codes, content type and body schema."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from motcua.dossiers.models import Dossier


@pytest.fixture
def keep_connection():
    """Like django.test.Client: the start and end of a request must not close the test's database connection
    (on PostgreSQL that would end the test transaction)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, catalogue, keep_connection):
    cache.clear()  # the throttle would otherwise turn most cases into 429s
    before = Dossier.objects.count()
    # A body that fits the schema may still break a business rule (an unknown procedure, a missing
    # paper): its 422 is correct, so "valid data must be accepted" does not apply here.
    response = case.call_and_validate(excluded_checks=[checks.positive_data_acceptance])
    assert response.status_code < 500
    if response.status_code != 201:
        assert Dossier.objects.count() == before  # a refusal changes nothing
