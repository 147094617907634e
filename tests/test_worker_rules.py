import pytest

from recognition.worker import load_camera_config


def test_camera_config_lists_each_camera(tmp_path):
    path = tmp_path / "cameras.toml"
    path.write_text('[[camera]]\nreference = "CAM-NVL-001"\nsource = "rtsp://10.0.0.5/stream"\nevery = 5\n'
                    '[[camera]]\nreference = "CAM-ESX-002"\nsource = "/srv/feeds/esx2"\n')
    cameras = load_camera_config(str(path))
    assert [c["reference"] for c in cameras] == ["CAM-NVL-001", "CAM-ESX-002"]
    assert cameras[0]["every"] == 5


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
