"""The indicator dashboard and a report draft in a real browser: a leader filters the period,
reads the charts (no axe violation, no inline style), edits a paragraph and gets a new version."""

import re

import pytest

from motcua.indicators.models import ReportDraftVersion
from tests.browser.helpers import assert_no_axe_violations, screenshot, sign_in
from tests.indicators.helpers import import_rows, row

pytestmark = pytest.mark.browser

# Shapes the browser actually drew (a comma in an SVG attribute leaves a 0×0 box), per kind.
DRAWN_SHAPES = """() => {
  const drawn = (sel) => [...document.querySelectorAll(sel)].filter((el) => {
    const box = el.getBBox(); return box.width > 0 && box.height > 0; }).length;
  const chart = document.querySelector("svg.ind-chart");
  const view = chart.viewBox.baseVal;
  const labels = [...chart.querySelectorAll("text.ind-bar-label")].map((t) => t.getBBox());
  return {
    chart: drawn("svg.ind-chart rect"),
    shares: drawn("svg.ind-share rect"),
    gauges: drawn("svg.ind-gauge rect:not(.ind-track)"),
    labels_in_plot: labels.length > 0 && labels.every((b) => b.x > 0 && b.x < view.width
      && b.y > 0 && b.y < view.height),
  };
}"""


@pytest.fixture
def data(desk):
    import_rows(
        [
            row("2024-04-02 09:00", channel="online", due="2024-04-16 09:00",
                finished="2024-04-10 09:00", returned="2024-04-10 10:00", return_channel="post"),
            row("2024-05-03 09:00", channel="post", due="2024-05-17 09:00"),
        ]
    )  # fmt: skip
    return desk


def test_leader_reads_the_dashboard_and_edits_a_draft(page, data):
    sign_in(page, data["leader"])
    page.goto("/can-bo/chi-so/?tu=2024-04-01&den=2024-05-31")
    main = page.locator("main")
    assert "hồ sơ tiếp nhận" in main.inner_text()
    assert main.locator("svg.ind-chart rect.c-online").count() >= 1
    drawn = page.evaluate(DRAWN_SHAPES)
    assert drawn["chart"] >= 2, drawn  # the monthly bars, one per month with dossiers
    assert drawn["shares"] >= 2 and drawn["gauges"] >= 1, drawn
    assert drawn["labels_in_plot"], drawn  # month labels sit inside the chart's viewBox
    text = main.inner_text()
    assert not re.search(r"\b(by_[a-z_]+|[a-z]+_pct|regulation|unclassified)\b", text)
    page.get_by_label("Từ ngày").fill("2024-05-01")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_load_state()
    assert "01/05/2024" in main.inner_text()
    assert_no_axe_violations(page)
    screenshot(page, "indicators-dashboard")

    page.goto("/can-bo/chi-so/bao-cao/")
    page.get_by_role("button", name="Tạo dự thảo").click()
    page.wait_for_load_state()
    page.get_by_label("Kết thúc").fill("Trên đây là báo cáo {span}./.")
    page.get_by_role("button", name="Lưu phiên bản mới").click()
    page.wait_for_load_state()
    assert "Đã lưu phiên bản 2" in main.inner_text()
    assert ReportDraftVersion.objects.count() == 2
    assert_no_axe_violations(page)
