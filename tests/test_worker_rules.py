import pytest

from recognition.tracking import DEFAULT_WINDOW_S
from recognition.worker import load_camera_config


def test_camera_config_lists_each_camera(tmp_path):
    path = tmp_path / "cameras.toml"
    path.write_text('[[camera]]\nreference = "CAM-NVL-001"\nsource = "rtsp://10.0.0.5/stream"\nevery = 5\n'
                    '[[camera]]\nreference = "CAM-ESX-002"\nsource = "/srv/feeds/esx2"\n')
    cameras = load_camera_config(str(path))
    assert [c["reference"] for c in cameras] == ["CAM-NVL-001", "CAM-ESX-002"]
    assert cameras[0]["every"] == 5


def test_camera_config_names_a_bad_sampling_or_grouping_window_by_camera(tmp_path):
    path = tmp_path / "cameras.toml"
    path.write_text('[[camera]]\nreference = "CAM-1"\nsource = "/srv/feeds/1"\nwindow = 5.5\n'
                    '[[camera]]\nreference = "CAM-2"\nsource = "/srv/feeds/2"\nevery = 0\nwindow = 0.1\n')
    with pytest.raises(ValueError) as refused:
        load_camera_config(str(path))
    assert str(refused.value) == ("camera #2: every 0: give a whole number of frames, 1 or more; "
                                  "camera #2: grouping window 0.1: give 0.5 to 30 seconds")
    path.write_text('[[camera]]\nreference = "CAM-1"\nsource = "/srv/feeds/1"\nwindow = 5.5\n')
    assert load_camera_config(str(path))[0]["window"] == 5.5


def test_camera_config_names_what_is_missing(tmp_path):
    path = tmp_path / "cameras.toml"
    path.write_text('[[camera]]\nreference = "CAM-1"\n')
    with pytest.raises(ValueError, match="camera #1: needs reference and source"):
        load_camera_config(str(path))
    path.write_text("")
    with pytest.raises(ValueError, match="no \\[\\[camera\\]\\] entries"):
        load_camera_config(str(path))


def test_fragments_and_corrections_of_a_stored_plate_are_the_same_vehicle():
    from recognition.worker import same_vehicle

    assert same_vehicle("LVT0F", "LV70F", "LV70FTC")  # half the plate out of view, then "corrected"
    assert same_vehicle("LV70FTG", "LV70FTG", "LV70FTC")  # one character misread
    assert not same_vehicle("BD51SMR", "BD51SMR", "LV70FTC")


class ScriptedRecogniser:
    """Reads what the test says each frame holds (the worker's rules are under test, not the recogniser)."""

    def __init__(self, script):
        self.script = script  # frame index -> [(text, confidence, format)]

    def recognise(self, image):
        from recognition.pipeline import ImageResult, PlateRead

        index = int(image[0, 0, 0])
        reads = [PlateRead(t, t, c, (10, 10, 80, 20), f) for t, c, f in self.script.get(index, [])]
        return ImageResult(tuple(reads), 1.0)


def _run_scripted(script, frames=20, window_s=DEFAULT_WINDOW_S):
    """Run a worker over ``frames`` frames at 25 fps; returns [(frame index when stored, read)]."""
    import datetime as dt

    import numpy as np

    from anpr_gov.services.readstore import StoreOutcome
    from recognition.sources import Frame
    from recognition.worker import Worker

    stored, now = [], {"index": None}

    def sink(read):
        stored.append((now["index"], read))
        return StoreOutcome("stored", read_id=len(stored))

    worker = Worker("CAM-1", ScriptedRecogniser(script), sink=sink, motion_gate=False, window_s=window_s)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    for i in range(frames):
        now["index"] = i
        image = np.full((40, 100, 3), i, np.uint8)
        worker.process(Frame(image, start + dt.timedelta(seconds=i / 25), "CAM-1", i))
    now["index"] = "finish"
    worker.finish()
    return stored


def test_a_plate_read_alike_in_three_frames_one_of_them_hit_worthy_is_stored_at_once():
    stored = _run_scripted({2: [("LC19TKK", 0.5, "current")], 3: [("LC19TKK", 0.45, "current")],
                            4: [("LC19TKK", 0.6, "current")], 5: [("LC19TKK", 0.75, "current")],
                            6: [("LC19TKK", 0.6, "current")]})
    assert [(at, r.vrm, r.confidence) for at, r in stored] == [(5, "LC19TKK", 0.75)]  # not at the window's end
    assert stored[0][1].captured_at.microsecond == 80000  # first seen in frame 2


def test_a_confident_read_is_stored_at_once_and_others_wait_for_the_vote():
    stored = _run_scripted({2: [("KX19LMO", 0.95, "current")], 3: [("KX19LMO", 0.95, "current")],
                            5: [("YR21WPX", 0.8, "current")], 6: [("YR21WPX", 0.8, "current")],  # two frames only
                            8: [("LV70F", 0.8, None)], 9: [("LV70F", 0.8, None)], 10: [("LV70F", 0.8, None)],
                            # frames that disagree: the vote decides, when the window closes
                            12: [("BD51SMR", 0.8, "current")], 13: [("BD51SMP", 0.6, "current")],
                            14: [("BD51SMR", 0.8, "current")], 15: [("BD51SMR", 0.85, "current")]})
    assert [(at, r.vrm) for at, r in stored] == [(2, "KX19LMO"), ("finish", "YR21WPX"), ("finish", "LV70F"),
                                                 ("finish", "BD51SMR")]


def test_a_periodic_job_runs_at_once_then_each_interval_and_survives_its_failures():
    from recognition.worker import Periodic

    now, calls = [0.0], []

    def job():
        calls.append(now[0])
        if len(calls) == 2:
            raise RuntimeError("database locked")

    daily = Periodic(job, 100.0, clock=lambda: now[0])
    for t in (0.0, 50.0, 99.9, 100.0, 150.0, 200.0, 201.0):
        now[0] = t
        daily.run_if_due()
    assert calls == [0.0, 100.0, 200.0]  # the failure at 100 was logged; the job ran again at its next time


def test_the_grouping_window_decides_whether_a_plate_seen_again_is_the_same_vehicle():
    # read at 0.6 (stored by the vote, not at once) in frames 0-1 and again 1.6 s later, in frames 40-41
    script = {i: [("LC19TKK", 0.6, "current")] for i in (0, 1, 40, 41)}
    assert [r.vrm for _, r in _run_scripted(script, frames=60)] == ["LC19TKK"]  # the default 3 s: one vehicle
    apart = _run_scripted(script, frames=60, window_s=1.0)
    assert [(at, r.vrm) for at, r in apart] == [(27, "LC19TKK"), ("finish", "LC19TKK")]
