"""Allow ``python -m sciatica_cli``."""

from sciatica_cli.cli import main

main()
