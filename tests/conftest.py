import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from hypothesis import settings  # noqa: E402

settings.register_profile("qnnsym", deadline=None, max_examples=40)
settings.load_profile("qnnsym")
