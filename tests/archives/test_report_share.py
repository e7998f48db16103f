"""The report's "lập hồ sơ lưu trữ điện tử đối với 100% hồ sơ" (seed II.6.1): the dossiers
finished in the period, and how many are filed in an electronic work file."""

from datetime import date

import pytest

from motcua.archives.indicators import report_sections
from motcua.archives.services import archives_file_year
from motcua.indicators.phrases import archived_text


def test_the_archived_sentence():
    assert archived_text(None) == "" and archived_text({"dossiers_finished": 0}) == ""
    assert archived_text({"dossiers_finished": 21241, "dossiers_filed": 21241}) == (
        "Đã lập hồ sơ lưu trữ điện tử đối với 100% hồ sơ TTHC đã giải quyết xong "
        "(21.241/21.241 hồ sơ)."
    )
    assert archived_text({"dossiers_finished": 3, "dossiers_filed": 1}) == (
        "Đã lập hồ sơ lưu trữ điện tử đối với 33,3% hồ sơ TTHC đã giải quyết xong (1/3 hồ sơ)."
    )


@pytest.mark.django_db
def test_the_period_s_finished_dossiers_and_those_filed(filed_year):
    def section():
        return report_sections(date(2024, 1, 1), date(2024, 12, 31))["archives"]

    assert section() == {"dossiers_finished": 1, "dossiers_filed": 0}
    archives_file_year(None, 2024)
    assert section() == {"dossiers_finished": 1, "dossiers_filed": 1}
    assert report_sections(date(2023, 1, 1), date(2023, 12, 31))["archives"] == {
        "dossiers_finished": 0,
        "dossiers_filed": 0,
    }
