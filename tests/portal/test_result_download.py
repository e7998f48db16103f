"""The citizen's result downloads under a Vietnamese file name, encoded per RFC 6266."""

import re
from urllib.parse import unquote

from django.urls import reverse

from motcua.core.downloads import ascii_file_name
from tests.portal.test_application import _to_result, hương, signing, today  # noqa: F401 (fixtures)

from .factories import online_dossier


def test_the_result_keeps_its_vietnamese_name(client, desk, hương, signing):  # noqa: F811
    from motcua.documents.results import result_issue

    dossier = online_dossier(hương)
    _to_result(desk, dossier)
    dossier.refresh_from_db()
    issued = result_issue(desk["desk"], dossier)
    client.force_login(hương)
    response = client.get(reverse("portal:result_download", args=[dossier.pk, issued.pk]))
    assert response.status_code == 200
    header = response["Content-Disposition"]
    header.encode("ascii")  # nothing outside ASCII reaches the header itself
    match = re.fullmatch(r"attachment; filename=\"([^\"/]+)\"; filename\*=UTF-8''(\S+)", header)
    assert match, header
    name = f"Kết quả {issued.number.replace('/', '-')}.pdf"
    assert unquote(match.group(2)) == name
    assert match.group(1) == ascii_file_name(name) and match.group(1).startswith("Ket qua ")
