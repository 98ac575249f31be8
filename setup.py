"""Build hook: the compiled catalogues (bot/locales/<lang>/LC_MESSAGES/messages.mo) go into
every wheel, and into the checkout for an editable install, so an installed bot speaks Chinese.

Everything else about the package is declared in pyproject.toml.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _locales_compiler() -> ModuleType:
    # locales/ is not a package (it would clash with anything else named "locales" once installed).
    source = HERE / "locales" / "compile.py"
    spec = importlib.util.spec_from_file_location("locales_compile", source)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        super().run()
        # An editable install reads bot/ from the checkout, so the catalogues go there.
        package = HERE / "bot" if self.editable_mode else Path(self.build_lib) / "bot"
        self._catalogues = _locales_compiler().compile_catalogues(
            HERE / "locales", package / "locales"
        )

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        return [*super().get_outputs(include_bytecode), *map(str, getattr(self, "_catalogues", []))]


setup(cmdclass={"build_py": BuildWithCatalogues})
