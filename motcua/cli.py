"""The `motcua` command: every management command of the project, e.g.

motcua demo [--no-serve]
motcua org units
motcua catalog import FILE | motcua catalog export --format json|xlsx
motcua calendar due --received 2024-04-26T16:00+07:00 --working-days 5
motcua calendar day 2024-05-04
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["motcua", *args])


if __name__ == "__main__":
    main()
