"""Saved auditor queries: one SPARQL ``.rq`` file each, read by `piagraph.queries`."""
