"""`python -m bench --profile` (issue [P] 4): the report names the functions and the SQL where the
time went, with the same statement under other values counted as one."""

import pytest
from django.db import connection

from bench.profiling import profiled, statement_shape


def test_statements_that_differ_only_in_values_have_one_shape():
    one = statement_shape("SELECT * FROM t WHERE id IN (%s, %s, %s) AND name = 'Hà'")
    two = statement_shape("SELECT * FROM t WHERE id IN (%s)  AND name = 'Lan'")
    assert one == two == "SELECT * FROM t WHERE id IN (…) AND name = ?"


def _busy():
    with connection.cursor() as cursor:
        for number in range(30):
            cursor.execute("SELECT %s + 1", [number])
    sum(i * i for i in range(200_000))


@pytest.mark.django_db
def test_the_profile_names_the_busy_function_and_the_repeated_statement():
    text = profiled(_busy)
    assert text.startswith("### profile:")
    assert "top functions by own time:" in text and "top functions by with callees:" in text
    assert "_busy" in text
    sql = text.split("top SQL statements by time:")[1]
    assert "30 ×  SELECT %s + ?" in sql
