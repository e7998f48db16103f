"""The `motcua` command: every management command of the project, e.g.

motcua demo [--no-serve]
motcua org units
motcua catalog import FILE | motcua catalog export --format json|xlsx
motcua calendar due --received 2024-04-26T16:00+07:00 --working-days 5
motcua calendar day 2024-05-04
motcua serve   (production: granian, docs/deploy.md)
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    # `motcua serve` is the production server: production's settings unless others are named.
    default = "config.settings.production" if args[:1] == ["serve"] else "config.settings.base"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default)
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["motcua", *args])
    except ImproperlyConfigured as exc:  # a setting missing from the environment: say which
        sys.exit(f"Cấu hình chưa đúng: {exc}")


if __name__ == "__main__":
    main()
