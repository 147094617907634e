import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
US_DIR = Path(os.environ.get("ANPR_US_DATASET", ROOT.parent / "shared" / "datasets" / "openalpr-us"))


@pytest.fixture(scope="session")
def reader():
    """The fine-tuned reader with the committed weights, loaded once per test session."""
    from recognition.ocr import get_reader
    return get_reader()


@pytest.fixture(scope="session")
def recogniser(reader):
    from recognition.pipeline import PlateRecogniser
    return PlateRecogniser(reader, region="uk")


@pytest.fixture(scope="session")
def us_dir():
    if not US_DIR.is_dir():
        pytest.skip(f"openalpr-us dataset not found at {US_DIR} (set ANPR_US_DATASET)")
    return US_DIR


@pytest.fixture(scope="session")
def sample_feed(tmp_path_factory):
    from recognition.render import make_sample_feed
    d = tmp_path_factory.mktemp("feed")
    return make_sample_feed(d, plates=["AB12CDE", "KX19LMO", "M123ABC"], seed=3, frames_per_vehicle=4,
                            gap_frames=2, size=(960, 540))
