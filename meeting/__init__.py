"""Outside In's domain package: everything a page or the CLI needs, with no Streamlit in it."""
from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable


def lazy_exports(package: str, namespace: dict, exports: dict[str, str]) -> tuple[Callable, Callable, list[str]]:
    """A package's ``__getattr__``, ``__dir__`` and ``__all__`` (PEP 562) so that ``from meeting.minutes
    import build_minutes`` still works but imports ``meeting.minutes.model`` only when it is asked for.

    Why: importing one submodule runs its package's ``__init__`` first, and an ``__init__`` that imported
    every submodule made ``agenda --json`` load python-docx, wordfreq and phonenumbers it never calls
    (issue 30; ``tests/unit/test_import_diet.py`` keeps them out). ``exports`` maps each submodule to the
    names it gives the package, space-separated; a submodule's own name among them stands for the module.
    A name is looked up once, then kept in the package like an ordinary import.
    """
    home = {name: module for module, names in exports.items() for name in names.split()}

    def __getattr__(name: str):
        module = home.get(name)
        if module is None:
            # ``accounts.sso`` for a submodule nobody has imported yet: the eager __init__ this replaced had
            # imported them all, so pages used them as attributes (the SSO button vanished without this).
            if name.startswith("_") or importlib.util.find_spec(f"{package}.{name}") is None:
                raise AttributeError(f"module {package!r} has no attribute {name!r}")
            module = name
        # __import__, not importlib.import_module: only the import statement's path is reported by
        # ``python -X importtime``, which is how the test and issue 30 measure what a command loads.
        __import__(f"{package}.{module}")
        loaded = sys.modules[f"{package}.{module}"]
        value = loaded if name == module else getattr(loaded, name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *home})

    return __getattr__, __dir__, sorted(home)
