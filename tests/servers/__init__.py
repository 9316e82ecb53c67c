"""SPARQL servers that tests start on 127.0.0.1 for themselves (one module per server)."""
