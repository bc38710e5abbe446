"""`python -m linkcheck`."""

from linkcheck.cli import main

main()
