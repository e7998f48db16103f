"""The online form's panel on the officer's dossier page: the answers as fields (not a picture of
a paper) and the filled official form as PDF, for a dossier submitted through an online form. The
page itself has already passed the dossier's access door (backoffice views)."""

from motcua.core.panels import Panel

from .selectors import answers_by_section, submission_for_dossier


def dossier_panel(request, dossier) -> Panel | None:
    submission = submission_for_dossier(dossier)
    if submission is None:
        return None
    return Panel(
        "Tờ khai trực tuyến",
        "eforms/panel.html",
        {
            "submission": submission,
            "sections": answers_by_section(submission.layout, submission.answers),
        },
    )
