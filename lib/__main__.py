"""``python -m lib``: see lib/cli.py."""

from lib.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
