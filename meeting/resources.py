"""Where the files the package reads live: inside the package (``meeting/data``), so an installed copy
(``pip install .``) finds its taxonomy, word lists, demo sources and catalogues from any folder."""
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
