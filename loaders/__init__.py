"""Report → RDF: read → normalise → segment → extract → to_rdf → resolve.

Each stage is a module with one job; `loaders.pipeline` strings them together.
"""

from ontology.errors import ReportError

__all__ = ["ReportError"]
