"""The Streamlit app: thin pages over `piagraph` (run with `piagraph app`)."""
