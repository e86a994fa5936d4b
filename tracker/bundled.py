"""Find the files that ship with the app: curated data (`db/`) and `resources/`.

An installed wheel and the PyInstaller build carry them inside the package as
`tracker/_bundled/`; a source checkout (or an editable install) has them at the repo top.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _bundled_dir(name: str) -> Path:
    packaged = Path(str(resources.files("tracker"))) / "_bundled" / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"the app's {name}/ folder is missing (looked in {packaged})")


def curated_dir() -> Path:
    return _bundled_dir("db") / "curated"


def resources_dir() -> Path:
    return _bundled_dir("resources")
