"""Outside In's domain package: everything a page or the CLI needs, with no Streamlit in it."""
