"""Real SPARQL servers the tests start on 127.0.0.1, each stopped with its whole process group."""
