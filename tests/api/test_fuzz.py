"""Schemathesis against the OpenAPI schema: generated requests, valid and invalid, must never give
a 500 and every answer must match the documented status codes, content type and body schema.

Every operation of /api/openapi.json is run through schemathesis's three phases — the schema's
examples, the coverage phase (boundary and missing values, wrong types, for every parameter) and
fuzzing (MAX_EXAMPLES positive and negative cases) — with every check, not_a_server_error among
them. Generated data almost never names a procedure that exists, so some generated submissions
and look-ups are given the catalogue's real code: the service behind the validation is reached
too. The cases are counted per operation and status class; `-s` prints the count."""

import re
from collections import Counter

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import checks

from motcua.api import urls as api_urls
from motcua.dossiers.models import Dossier
from tests.api.test_dossiers import BODY as VALID

MAX_EXAMPLES = 100
KNOWN_PROCEDURE = VALID["procedure_code"]  # in tests/api/conftest.py's catalogue

CASES: Counter = Counter()  # (operation, status class) → cases run
SUBMITTED: list[str] = []  # the reference of the current test's submitted dossier


@pytest.fixture
def keep_connection():
    """Like django.test.Client: the start and end of a request must not close the test's database connection
    (on PostgreSQL that would end the test transaction)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def _cases_reported():
    yield
    if not CASES:
        return
    operations = sorted({operation for operation, _ in CASES})
    for operation in operations:
        by_status = {s: n for (o, s), n in sorted(CASES.items()) if o == operation}
        print(f"\n{operation}: {sum(by_status.values())} cases {by_status}")
    print(f"\nschemathesis: {len(operations)} operations, {sum(CASES.values())} cases")
    CASES.clear()


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


def _variants(case) -> list[tuple[str, dict]]:
    """Other values for one part of a generated case: a submission for the procedure that exists,
    or that from a valid applicant with the papers it needs (the rest — return channel, sets —
    as generated); a look-up of the procedure, or of the dossier, that exists."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return []  # a negative case stays as wrong as it was generated
    body, parameters = case.body, case.path_parameters or {}
    if isinstance(body, dict) and "procedure_code" in body:
        known = {**body, "procedure_code": KNOWN_PROCEDURE}
        complete = {**known, "applicant": VALID["applicant"], "components": VALID["components"]}
        if isinstance(body.get("dossier_sets"), float):
            # JSON Schema counts 41.0 as an integer; the API's strict integers refuse it (422),
            # so it would never let a complete submission through.
            complete["dossier_sets"] = int(body["dossier_sets"])
        return [("body", known), ("body", complete)]
    if "code" in parameters:
        return [("path_parameters", {**parameters, "code": KNOWN_PROCEDURE})]
    if "code_or_reference" in parameters and SUBMITTED:
        return [("path_parameters", {**parameters, "code_or_reference": SUBMITTED[-1]})]
    return []


def _changed(case, change: tuple[str, dict] | None):
    if change is not None:
        setattr(case, *change)
    return case


@schema.hook
def flatmap_case(context, case):
    return st.sampled_from([None, *_variants(case)]).map(lambda change: _changed(case, change))


@pytest.fixture
def submitted(catalogue):
    """One dossier submitted online before the cases run, for the status look-ups to find."""
    response = Client().post("/api/dossiers", VALID, content_type="application/json")
    assert response.status_code == 201
    SUBMITTED.append(response.json()["reference"])
    yield
    SUBMITTED.clear()


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, submitted, keep_connection):
    cache.clear()  # the throttle would otherwise turn most cases into 429s
    before = Dossier.objects.count()
    # A body that fits the schema may still break a business rule (an unknown procedure, a missing
    # paper): its 422 is correct, so "valid data must be accepted" does not apply here.
    response = case.call_and_validate(excluded_checks=[checks.positive_data_acceptance])
    CASES[
        f"{case.operation.method.upper()} {case.operation.path}", f"{response.status_code // 100}xx"
    ] += 1
    assert response.status_code < 500
    if response.status_code != 201:
        assert Dossier.objects.count() == before  # a refusal changes nothing


def test_every_operation_the_api_serves_is_fuzzed():
    """The schema the fuzzer reads names every path the API's URLconf routes (an operation left
    out of the schema would never be fuzzed)."""
    served = {
        "/api/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        for pattern in api_urls.urlpatterns
        if pattern.name not in ("api-root", "openapi-json", "openapi-view")
    }
    operations = [result.ok() for result in schema.get_all_operations()]
    assert served == {operation.path for operation in operations}
    assert len(operations) == 4
