from convene.protocol.precedence import LAST_BAND, PrecedencePolicy


def test_top_band_has_equal_standing():
    policy = PrecedencePolicy()
    bands = {policy.band(r, "member_state") for r in
             ("head_of_state", "vice_president", "crown_prince", "head_of_government")}
    assert bands == {0}  # E/CN.6/2000/PC/9 para. 5


def test_bands_follow_a_cn4_l129():
    policy = PrecedencePolicy()
    order = ["head_of_state", "deputy_prime_minister", "foreign_minister", "minister",
             "vice_minister", "ambassador"]
    bands = [policy.band(r, "member_state") for r in order]
    assert bands == sorted(bands) and len(set(bands)) == len(bands)


def test_kind_sets_a_floor():
    policy = PrecedencePolicy()
    assert policy.band("head_of_state", "observer_state") > policy.band("ambassador",
                                                                        "member_state")
    assert policy.band("other", "un_system") > policy.band("head_of_state", "reio")
    assert policy.band("other", "ngo") > policy.band("other", "igo")


def test_event_overrides_and_unknown_values():
    policy = PrecedencePolicy.from_overrides({"foreign_minister": 3}, {"observer_state": 0})
    assert policy.band("foreign_minister", "member_state") == policy.band("minister",
                                                                          "member_state")
    assert policy.band("head_of_state", "observer_state") == 0
    assert policy.band("emperor", "member_state") == LAST_BAND
