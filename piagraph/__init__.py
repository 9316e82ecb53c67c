"""piagraph: a compliance knowledge graph for 特定個人情報保護評価書 (My Number PIAs)."""

__version__ = "0.1.0"
