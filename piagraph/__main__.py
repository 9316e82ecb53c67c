"""``python -m piagraph``: the command line (`piagraph.cli`)."""

from piagraph.cli import main

main(prog_name="piagraph")
