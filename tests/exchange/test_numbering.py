"""Register numbers stay sequential and unique with many app servers on one PostgreSQL, and the
register lists read in a fixed number of queries."""

import multiprocessing

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.accounts.models import User
from motcua.exchange.models import OutgoingDocument
from motcua.exchange.services import outgoing_pack, package_receive
from tests.forking import connections_after_fork

from .conftest import register


def _register_many(user_id, count, queue):
    connections_after_fork()
    user = User.objects.select_related("unit").get(pk=user_id)
    queue.put([register(user, files=[]).number for _ in range(count)])
    connections.close_all()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="needs a server database shared by processes (runs on PostgreSQL in CI)",
)
def test_six_processes_get_unique_gapless_numbers(clerk):
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    workers = [ctx.Process(target=_register_many, args=(clerk.pk, 10, queue)) for _ in range(6)]
    for w in workers:
        w.start()
    numbers = [n for _ in workers for n in queue.get(timeout=120)]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    assert sorted(numbers) == list(range(1, 61))
    assert OutgoingDocument.objects.count() == 60


@pytest.mark.django_db
def test_register_lists_read_in_a_fixed_number_of_queries(client, clerk, receiver_clerk):
    def count(user, name):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        return len(queries)

    register(clerk)
    package_receive(outgoing_pack(register(clerk)))
    few_out = count(clerk, "backoffice:exchange_outgoing")
    few_in = count(receiver_clerk, "backoffice:exchange_incoming")
    for _ in range(5):
        package_receive(
            outgoing_pack(
                register(clerk, recipients=[("000.00.07.H27", ""), ("000.00.05.H27", "")])
            )
        )
    assert count(clerk, "backoffice:exchange_outgoing") == few_out
    assert count(receiver_clerk, "backoffice:exchange_incoming") == few_in
