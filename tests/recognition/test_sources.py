import datetime as dt
import threading

import cv2
import numpy as np
import pytest

from recognition.sources import (CorruptImageError, Frame, ImageFolderSource, StreamDroppedError, StreamSource,
                                 VideoFileSource, VideoReadError, open_source, read_image)


def _img(v):
    return np.full((48, 64, 3), v, np.uint8)


def test_image_folder_in_name_order_with_corrupt_file(tmp_path):
    cv2.imwrite(str(tmp_path / "b.png"), _img(20))
    cv2.imwrite(str(tmp_path / "a.png"), _img(10))
    (tmp_path / "c.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not really a jpeg")
    cv2.imwrite(str(tmp_path / "d.png"), _img(40))
    errors = []
    src = ImageFolderSource(tmp_path, "cam7", on_error=errors.append)
    frames = list(src)
    assert [int(f.image[0, 0, 0]) for f in frames] == [10, 20, 40]
    assert [f.index for f in frames] == [0, 1, 2]
    assert all(f.camera_id == "cam7" and f.captured_at.tzinfo == dt.timezone.utc for f in frames)
    assert len(errors) == 1 and isinstance(errors[0], CorruptImageError) and "c.jpg" in str(errors[0])
    with pytest.raises(CorruptImageError):
        read_image(tmp_path / "c.jpg")
    with pytest.raises(CorruptImageError):
        list(ImageFolderSource(tmp_path, on_error="raise"))


def test_image_folder_watch_picks_up_new_files(tmp_path):
    cv2.imwrite(str(tmp_path / "001.png"), _img(1))
    stop = threading.Event()
    it = iter(ImageFolderSource(tmp_path, watch=True, poll_s=0.01, stop=stop))
    assert int(next(it).image[0, 0, 0]) == 1
    cv2.imwrite(str(tmp_path / "002.png"), _img(2))
    assert int(next(it).image[0, 0, 0]) == 2
    stop.set()
    assert list(it) == []


def _write_video(path, n=12, size=(160, 120)):
    vw = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10.0, size)
    assert vw.isOpened()
    for i in range(n):
        f = np.zeros((size[1], size[0], 3), np.uint8)
        cv2.putText(f, str(i), (20, 80), cv2.FONT_HERSHEY_SIMPLEX, 2, (255, 255, 255), 3)
        f[:, :, 1] = (i * 20) % 255
        vw.write(f)
    vw.release()


def test_video_file_frames_and_timestamps(tmp_path):
    p = tmp_path / "v.mp4"
    _write_video(p)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    errors = []
    frames = list(VideoFileSource(p, "gate", start_time=start, on_error=errors.append))
    assert len(frames) == 12 and errors == []
    assert frames[3].captured_at - start == dt.timedelta(seconds=0.3)
    assert [f.index for f in VideoFileSource(p, every=4, start_time=start)] == [0, 4, 8]


def test_a_video_without_a_start_time_ended_when_its_file_was_last_written(tmp_path):
    import os

    p = tmp_path / "v.mp4"
    _write_video(p, n=20)  # 2 s at 10 fps
    written = dt.datetime(2026, 3, 1, 8, 0, 2, tzinfo=dt.timezone.utc)
    os.utime(p, (written.timestamp(), written.timestamp()))
    frames = list(VideoFileSource(p, "gate"))
    assert frames[0].captured_at == written - dt.timedelta(seconds=2)
    assert frames[-1].captured_at == written - dt.timedelta(seconds=0.1)


def test_truncated_and_garbage_video_give_clear_errors(tmp_path):
    p = tmp_path / "v.mp4"
    _write_video(p, n=40)
    data = p.read_bytes()
    bad = tmp_path / "cut.mp4"
    bad.write_bytes(data[: len(data) // 3])
    errors = []
    frames = list(VideoFileSource(bad, on_error=errors.append))
    assert len(frames) < 40
    assert errors and isinstance(errors[0], VideoReadError)
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video at all" * 10)
    errors = []
    assert list(VideoFileSource(junk, on_error=errors.append)) == []
    assert isinstance(errors[0], VideoReadError)
    with pytest.raises(VideoReadError):
        list(VideoFileSource(junk, on_error="raise"))


class FakeCapture:
    """A capture that delivers a fixed number of frames, then fails (a dropped stream)."""

    def __init__(self, n, opened=True):
        self.n, self.opened, self.released = n, opened, False

    def isOpened(self):
        return self.opened

    def read(self):
        if self.n <= 0:
            return False, None
        self.n -= 1
        return True, _img(self.n)

    def release(self):
        self.released = True


def test_stream_reconnects_with_backoff_after_drops():
    plan = [FakeCapture(3), FakeCapture(0, opened=False), FakeCapture(0, opened=False), FakeCapture(2)]
    made = []

    def factory(url):
        made.append(url)
        return plan[len(made) - 1] if len(made) <= len(plan) else FakeCapture(0, opened=False)

    errors = []
    stop = threading.Event()
    src = StreamSource("rtsp://cam/1", "cam1", backoff_s=0.001, max_backoff_s=0.004, stop=stop,
                       on_error=errors.append, capture_factory=factory)
    frames = []
    for f in src:
        frames.append(f)
        if len(frames) == 5:
            stop.set()
    assert [f.index for f in frames] == [0, 1, 2, 3, 4]
    assert all(isinstance(e, StreamDroppedError) for e in errors)
    assert "dropped" in str(errors[0]) and "cannot be opened" in str(errors[1])
    assert src.reconnects == 3 and len(made) == 4
    assert all(c.released for c in plan)
    # backoff doubles while the stream stays down
    assert src.delays == [0.001, 0.002, 0.004]


def test_stream_gives_up_after_max_retries():
    errors = []
    src = StreamSource("http://nowhere/stream", backoff_s=0.001, max_retries=2, on_error=errors.append,
                       capture_factory=lambda u: FakeCapture(0, opened=False))
    assert list(src) == []
    assert "giving up" in str(errors[-1])


def test_open_source_dispatch(tmp_path):
    assert isinstance(open_source(str(tmp_path)), ImageFolderSource)
    assert isinstance(open_source(str(tmp_path / "x.mp4")), VideoFileSource)
    assert isinstance(open_source("rtsp://10.0.0.1/s"), StreamSource)
