"""``python -m qnnsym.cli``: the same as the ``qnnsym`` command."""
import sys

from .main import main

sys.exit(main())
