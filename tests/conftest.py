import signal
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "akmola-iran-2026-02-23.kk.txt"
# Sentences per paragraph of the seed, headline first (see seeds/README.md).
SEED_LAYOUT = [1, 1, 1, 1, 5, 1, 3, 1, 1, 1]


def interruptible() -> None:
    """For ``preexec_fn``: Ctrl-C (SIGINT) in the child as in a terminal. A test
    runner started in the background (``cmd &``, mutmut) ignores SIGINT, and
    its children would inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(scope="session", autouse=True)
def _quiet_transformers():
    try:
        import transformers

        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()
    except ImportError:
        pass


@pytest.fixture(scope="session")
def tiny_nllb(tmp_path_factory):
    from tiny_models import build_nllb

    return build_nllb(tmp_path_factory.mktemp("models") / "nllb")


@pytest.fixture(scope="session")
def tiny_marian(tmp_path_factory):
    from tiny_models import build_marian

    return build_marian(tmp_path_factory.mktemp("models") / "opus-mt-trk-en")


@pytest.fixture(scope="session")
def tiny_marian_en_trk(tmp_path_factory):
    from tiny_models import build_marian

    return build_marian(tmp_path_factory.mktemp("models") / "opus-mt-en-trk", ">>kaz_Cyrl<<")


@pytest.fixture(scope="session")
def tiny_t5(tmp_path_factory):
    from tiny_models import build_t5

    return build_t5(tmp_path_factory.mktemp("models") / "madlad")


@pytest.fixture(scope="session")
def seed_text():
    return SEED.read_text("utf-8")
