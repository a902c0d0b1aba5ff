"""`python -m server` runs the `accord` command."""

from server.cli import main

main()
