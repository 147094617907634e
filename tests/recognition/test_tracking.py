import datetime as dt

from recognition.pipeline import PlateRead
from recognition.tracking import PlateTracker

T0 = dt.datetime(2026, 1, 1, 12, 0, 0, tzinfo=dt.timezone.utc)


def pr(text, conf=0.9, box=(10, 10, 100, 25)):
    return PlateRead(text, text, conf, box, None)


def at(s):
    return T0 + dt.timedelta(seconds=s)


def test_repeated_reads_of_one_vehicle_become_one_voted_read():
    tr = PlateTracker(window_s=3)
    assert tr.feed("cam1", pr("AB12CDE", 0.8), at(0), 0) == []
    tr.feed("cam1", pr("AB12CDF", 0.95), at(0.5), 1)   # one misread, more confident
    tr.feed("cam1", pr("AB12CDE", 0.7), at(1.0), 2)
    tr.feed("cam1", pr("AB12CDE", 0.6), at(1.5), 3)
    assert tr.flush(at(4.0)) == []                      # still inside the window (2.5 s idle)
    out = tr.flush(at(4.6))
    assert len(out) == 1
    v = out[0]
    assert v.text == "AB12CDE" and v.n_reads == 4 and v.confidence == 0.8
    assert (v.first_index, v.last_index, v.best_index) == (0, 3, 0)
    assert v.first_seen == at(0) and v.last_seen == at(1.5)
    assert dict(v.texts) == {"AB12CDE": 3, "AB12CDF": 1}
    assert tr.open_groups == 0


def test_other_camera_other_text_and_late_reads_are_separate():
    tr = PlateTracker(window_s=3)
    tr.feed("cam1", pr("AB12CDE"), at(0))
    tr.feed("cam2", pr("AB12CDE"), at(0.2))            # other camera
    tr.feed("cam1", pr("XY99ZZZ"), at(0.4))            # other vehicle
    closed = tr.feed("cam1", pr("AB12CDE"), at(10))    # same text, window long closed
    assert {(v.camera_id, v.text) for v in closed} == {("cam1", "AB12CDE"), ("cam2", "AB12CDE"), ("cam1", "XY99ZZZ")}
    rest = tr.flush()
    assert [(v.camera_id, v.text, v.n_reads) for v in rest] == [("cam1", "AB12CDE", 1)]


def test_configurable_window():
    tr = PlateTracker(window_s=10)
    tr.feed("c", pr("AB12CDE"), at(0))
    tr.feed("c", pr("AB12CDE"), at(8))
    assert tr.flush(at(17)) == []
    assert [v.n_reads for v in tr.flush(at(18.5))] == [2]
