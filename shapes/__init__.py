"""SHACL shapes (Turtle), shipped as package data."""
