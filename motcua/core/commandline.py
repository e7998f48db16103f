"""Helpers the `motcua` subcommands share."""

from datetime import date

from django.core.management.base import CommandError


def command_day(text: str, problem: str = "không hợp lệ: hãy viết dạng YYYY-MM-DD") -> date:
    """A date typed on the command line (YYYY-MM-DD), or a CommandError in Vietnamese:
    «Ngày “…” <problem>.»"""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Ngày “{text}” {problem}.") from None
