"""The HTTP transport against the stand-in gateway: two organs exchange a document and its
statuses; wrong credentials and a refusing gateway leave everything as it was."""

import pytest

from motcua.exchange.files import exchange_file_bytes
from motcua.exchange.models import IncomingDocument, OutgoingState
from motcua.exchange.services import exchange_receive, outgoing_send
from motcua.exchange.standin import StandInGateway
from motcua.exchange.transports import HttpGatewayTransport, TransportError, configured_transport

from .conftest import PDF, register

pytestmark = pytest.mark.django_db
SECRETS = {"000.00.12.H27": "bi-mat-stp-4821", "000.00.07.H27": "bi-mat-snv-7730"}


@pytest.fixture
def gateway():
    server = StandInGateway(SECRETS).start()
    yield server
    server.close()


def _transport(gateway, organ, secret=None):
    return HttpGatewayTransport(gateway.url, organ, secret or SECRETS[organ], timeout=5)


def test_a_document_and_its_arrival_travel_through_the_gateway(gateway, clerk, receiver_unit):
    document = register(clerk)
    outgoing_send(clerk, document.pk, _transport(gateway, "000.00.12.H27"))
    assert gateway.sent == [{"from": "000.00.12.H27", "to": ["000.00.07.H27"], "type": "edoc"}]

    report = exchange_receive(_transport(gateway, "000.00.07.H27"))
    assert report.documents == 1
    incoming = IncomingDocument.objects.get()
    assert exchange_file_bytes(incoming.files.first()) == PDF
    assert gateway.box("000.00.07.H27").packages == {}  # taken and acknowledged
    assert list(gateway.box("000.00.07.H27").done.values()) == ["done"]

    assert exchange_receive(_transport(gateway, "000.00.12.H27")).statuses == 1
    assert document.deliveries.get().status_code == "01"


def test_wrong_secret_is_refused_and_nothing_changes(gateway, clerk):
    document = register(clerk)
    with pytest.raises(TransportError, match="từ chối mã hệ thống"):
        outgoing_send(clerk, document.pk, _transport(gateway, "000.00.12.H27", "sai"))
    document.refresh_from_db()
    assert document.state == OutgoingState.REGISTERED
    assert gateway.sent == []


def test_a_refusing_or_failing_gateway_leaves_the_document_registered(gateway, clerk):
    document = register(clerk)
    gateway.faults.refuse_send = True
    with pytest.raises(TransportError, match="Trục trao đổi từ chối"):
        outgoing_send(clerk, document.pk, _transport(gateway, "000.00.12.H27"))
    gateway.faults.http_status = 502
    with pytest.raises(TransportError, match="HTTP 502"):
        outgoing_send(clerk, document.pk, _transport(gateway, "000.00.12.H27"))
    document.refresh_from_db()
    assert document.state == OutgoingState.REGISTERED


def test_an_unreachable_gateway_is_a_clear_message(clerk):
    document = register(clerk)
    transport = HttpGatewayTransport("http://127.0.0.1:9", "000.00.12.H27", "x", timeout=2)
    with pytest.raises(TransportError, match="Không kết nối được"):
        outgoing_send(clerk, document.pk, transport)


def test_the_settings_choose_the_transport(settings, gateway, tmp_path):
    settings.MOTCUA_EXCHANGE_TRANSPORT = ""
    with pytest.raises(TransportError, match="Chưa cấu hình"):
        configured_transport([])
    settings.MOTCUA_EXCHANGE_TRANSPORT = "http"
    settings.MOTCUA_EXCHANGE_GATEWAY_URL = gateway.url
    settings.MOTCUA_EXCHANGE_SYSTEM_ID = ""
    with pytest.raises(TransportError, match="MOTCUA_EXCHANGE_SYSTEM_ID"):
        configured_transport([])
    settings.MOTCUA_EXCHANGE_SYSTEM_ID = "000.00.12.H27"
    settings.MOTCUA_EXCHANGE_SECRET = SECRETS["000.00.12.H27"]
    assert isinstance(configured_transport([]), HttpGatewayTransport)
    settings.MOTCUA_EXCHANGE_TRANSPORT = "directory"
    settings.MOTCUA_EXCHANGE_DIRECTORY = str(tmp_path)
    assert configured_transport(["000.00.12.H27"]).name == "directory"
