"""`python -m motcua.dossiers.diagram > docs/lifecycle.md`: the lifecycle page, from the table."""

from .workflow import (
    STATUS_LABELS,
    SYSTEM_TRANSITIONS,
    TRANSITIONS,
    mermaid_diagram,
    national_status,
)


def lifecycle_markdown() -> str:
    rows = [
        f"| `{t.action}` | {t.label} | {', '.join(sorted(t.sources))} | {t.target or '(giữ nguyên)'} "
        f"| {', '.join(sorted(t.roles)) or '(hệ thống)'} | {t.guard or ''} |"
        # System moves (settled payment, returned mail) have no role: no one clicks them.
        for t in TRANSITIONS + SYSTEM_TRANSITIONS
    ]
    statuses = [f"| `{s}` | {label} | {national_status(s)} |" for s, label in STATUS_LABELS.items()]
    return "\n".join(
        [
            "# Dossier lifecycle",
            "",
            "Generated from `motcua/dossiers/workflow.py` by `python -m motcua.dossiers.diagram > docs/lifecycle.md`;",
            "a test fails when this page is out of date.",
            "",
            "```mermaid",
            mermaid_diagram().rstrip(),
            "```",
            "",
            "| Status | Nhãn | Mã quốc gia |",
            "|---|---|---|",
            *statuses,
            "",
            "| Action | Nút | From | To | Roles | Precondition |",
            "|---|---|---|---|---|---|",
            *rows,
            "",
        ]
    )


if __name__ == "__main__":
    print(lifecycle_markdown(), end="")
