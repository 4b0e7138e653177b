"""The ``qnnsym`` command line: :mod:`.main` plus one module per verb, a thin layer over the API.

Nothing in the package imports this layer.
"""
from .main import COMMAND_MODULES, build_parser, main

__all__ = ["COMMAND_MODULES", "build_parser", "main"]
