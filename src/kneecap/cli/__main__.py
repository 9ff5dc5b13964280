"""`python -m kneecap.cli`: the same as the `kneecap` console script."""

from kneecap.cli import main

main()
