"""Number-plate recognition library (knows nothing of the database).

Stages: :mod:`.localise` (OpenCV candidate boxes) -> :mod:`.ocr` (fine-tuned EasyOCR
recogniser) -> :mod:`.formats` (UK normalisation) composed by :class:`PlateRecogniser`;
:mod:`.sources` yields frames, :mod:`.tracking` groups reads per vehicle, :mod:`.render`
makes synthetic plates and feeds, :mod:`.training` fine-tunes the recogniser.
"""
from .formats import normalise_plate, plate_equal, similar
from .localise import Localiser, MotionGate
from .pipeline import HIT_THRESHOLD, READ_THRESHOLD, STRONG_READ, ImageResult, PlateRead, PlateRecogniser, watch
from .sources import (CorruptImageError, DeviceSource, Frame, ImageFolderSource, SourceError,
                      StreamDroppedError, StreamSource, VideoFileSource, VideoReadError, open_source)
from .tracking import PlateTracker, VehicleRead

__all__ = [
    "normalise_plate", "plate_equal", "similar", "HIT_THRESHOLD", "READ_THRESHOLD", "STRONG_READ", "ImageResult", "PlateRead",
    "PlateRecogniser", "CorruptImageError", "DeviceSource", "Frame", "ImageFolderSource", "SourceError",
    "StreamDroppedError", "StreamSource", "VideoFileSource", "VideoReadError", "open_source", "PlateTracker",
    "VehicleRead", "Localiser", "MotionGate", "watch",
]
