#!/usr/bin/env python
"""Django's command-line utility; `motcua` (motcua/cli.py) is the same with a friendlier name."""

from motcua.cli import main

if __name__ == "__main__":
    main()
