import pytest

from tests.programme.builders import make_room, make_script, make_session


@pytest.fixture
def hall(event):
    return make_room(event)


@pytest.fixture
def opening(event, hall):
    return make_session(event, room=hall, expected_attendance=300)


@pytest.fixture
def script(opening):
    return make_script(opening)
