"""``python -m storytrace``: the same as the ``storytrace`` command."""

from storytrace.cli import main

main()
