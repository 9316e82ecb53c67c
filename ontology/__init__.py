"""The piagraph ontology and SKOS vocabularies (Turtle), shipped as package data."""
