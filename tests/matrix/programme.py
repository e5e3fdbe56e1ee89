"""Programme, run-of-show and protocol pages and API (issue 4)."""

from django.urls import reverse

from convene.programme.models import CalendarFeed, Finding, Run
from convene.protocol.models import (
    FullPowers,
    Signatory,
    SpeakerEntry,
    SpeakersList,
    SpeakerSwap,
)
from tests.matrix import EVERYONE, OTHER_FP, SUMMIT_ROLES, VNM_FOCAL, Operation, Page
from tests.programme.builders import (
    add_person,
    make_member,
    make_room,
    make_script,
    make_session,
    pdf_file,
)

ORGANISER = ["organiser"]
CONTROL_ROOM = ["organiser", "observer", "task_force_lead", "security_officer"]
SCRIPT_EDITORS = ["organiser", "task_force_lead"]


def prepare(world):
    w = world
    hall = make_room(w.event)
    w.session = make_session(w.event, room=hall)
    w.plenary = make_session(w.event, "Plenary", "plenary", (14, 0), (16, 0), room=hall)
    w.cues = make_script(w.session)
    w.part = add_person(w.session, w.member, "speaker")
    w.run = Run.objects.create(session=w.session, kind="rehearsal",
                               started_by=w.users["organiser"])
    w.finding = Finding.objects.create(run=w.run, text="Lectern too high",
                                       owner=w.users["organiser"])
    w.feed = CalendarFeed.objects.create(delegation=w.viet_nam)
    lao_member = make_member(w.lao, "Sisavath", "foreign_minister")
    speakers = SpeakersList.objects.create(session=w.plenary)
    w.vnm_entry = SpeakerEntry.objects.create(speakers_list=speakers, delegation=w.viet_nam,
                                              speaker=w.member, inscribed_at=w.session.starts_at)
    w.lao_entry = SpeakerEntry.objects.create(speakers_list=speakers, delegation=w.lao,
                                              speaker=lao_member,
                                              inscribed_at=w.session.starts_at)
    w.swap = SpeakerSwap.objects.create(first=w.vnm_entry, second=w.lao_entry)
    w.signatory = Signatory.objects.create(event=w.event, delegation=w.viet_nam,
                                           signer=w.member)
    w.full_powers = FullPowers.objects.create(signatory=w.signatory, document=pdf_file())


def _u(name, *attrs):
    """reverse(name) with the primary keys of world attributes (a, b.pk …)."""
    def url(w):
        args = []
        for a in attrs:
            obj = getattr(w, a)
            args.append(obj.token if a == "feed" and name.endswith("ical") else obj.pk)
        return reverse(name, args=args)

    return url


def _post(data=None):
    return lambda w: (data(w) if callable(data) else data) or {}


PAGES = {
    "programme:index": Page(SUMMIT_ROLES, _u("programme:index")),
    "programme:agenda": Page(EVERYONE, _u("programme:agenda")),
    "programme:conflicts": Page(CONTROL_ROOM, _u("programme:conflicts")),
    "programme:rooms": Page(SUMMIT_ROLES, _u("programme:rooms")),
    "programme:session_new": Page(ORGANISER, _u("programme:session_new")),
    "programme:session": Page(SUMMIT_ROLES, _u("programme:session", "session")),
    "programme:session_edit": Page(ORGANISER, _u("programme:session_edit", "session")),
    "programme:participation_remove": Page(
        ORGANISER, _u("programme:participation_remove", "session", "part"), "post", _post()),
    "programme:script": Page(CONTROL_ROOM, _u("programme:script", "session")),
    "programme:script_pdf": Page(CONTROL_ROOM, _u("programme:script_pdf", "session")),
    "programme:cue_edit": Page(SCRIPT_EDITORS, lambda w: reverse(
        "programme:cue_edit", args=[w.session.pk, w.cues[0].pk])),
    "programme:cue_action": Page(SCRIPT_EDITORS, lambda w: reverse(
        "programme:cue_action", args=[w.session.pk, w.cues[0].pk]), "post",
        _post({"action": "down"})),
    "programme:console": Page(SCRIPT_EDITORS, _u("programme:console", "session")),
    "programme:runs": Page(CONTROL_ROOM, _u("programme:runs", "session")),
    "programme:run_start": Page(SCRIPT_EDITORS, _u("programme:run_start", "session"), "post",
                                _post({"kind": "rehearsal"})),
    "programme:run_go": Page(SCRIPT_EDITORS, _u("programme:run_go", "session", "run"), "post",
                             _post()),
    "programme:run_stop": Page(SCRIPT_EDITORS, _u("programme:run_stop", "session", "run"),
                               "post", _post()),
    "programme:finding_add": Page(
        SCRIPT_EDITORS, _u("programme:finding_add", "session", "run"), "post",
        _post(lambda w: {"text": "Microphone", "owner": w.users["organiser"].pk})),
    "programme:follow": Page(CONTROL_ROOM, _u("programme:follow", "session")),
    "programme:live_panel": Page(CONTROL_ROOM, _u("programme:live_panel", "session")),
    "programme:followups": Page(SUMMIT_ROLES, _u("programme:followups")),
    "programme:findings_hand_over": Page(["organiser"], _u("programme:findings_hand_over"),
                                         "post"),
    "programme:finding_status": Page(SCRIPT_EDITORS, _u("programme:finding_status", "finding"),
                                     "post", _post({"status": "done"})),
    "programme:feeds": Page(["organiser", VNM_FOCAL, OTHER_FP], _u("programme:feeds")),
    "programme:feed_create": Page(["organiser", VNM_FOCAL], _u("programme:feed_create"), "post",
                                  _post(lambda w: {"delegation": w.viet_nam.pk})),
    "programme:feed_revoke": Page(["organiser", VNM_FOCAL], _u("programme:feed_revoke", "feed"),
                                  "post", _post()),
    "programme:ical": Page(EVERYONE, lambda w: reverse("programme:ical", args=[w.feed.token])),
    "protocol:index": Page(SUMMIT_ROLES, _u("protocol:index")),
    "protocol:settings": Page(ORGANISER, _u("protocol:settings")),
    "protocol:speakers": Page(SUMMIT_ROLES, _u("protocol:speakers", "plenary")),
    "protocol:speakers_print": Page(SUMMIT_ROLES, _u("protocol:speakers_print", "plenary")),
    "protocol:speaker_withdraw": Page(["organiser", VNM_FOCAL], _u(
        "protocol:speaker_withdraw", "plenary", "vnm_entry"), "post", _post()),
    "protocol:swap_propose": Page(["organiser", VNM_FOCAL], _u("protocol:swap_propose",
                                                              "plenary"), "post",
                                  _post(lambda w: {"first": w.vnm_entry.pk,
                                                   "second": w.lao_entry.pk})),
    "protocol:swap_decide": Page(["organiser", OTHER_FP], _u("protocol:swap_decide", "plenary",
                                                            "swap"), "post",
                                 _post({"decision": "agree"})),
    "protocol:speakers_to_script": Page(SCRIPT_EDITORS, _u("protocol:speakers_to_script",
                                                           "plenary"), "post", _post()),
    "protocol:seating": Page(SUMMIT_ROLES, _u("protocol:seating", "session")),
    "protocol:draw": Page(ORGANISER, _u("protocol:draw")),
    "protocol:signing": Page(SUMMIT_ROLES, _u("protocol:signing")),
    "protocol:full_powers_upload": Page(["organiser", VNM_FOCAL], _u(
        "protocol:full_powers_upload", "signatory")),
    "protocol:full_powers_check": Page(["depositary"], _u("protocol:full_powers_check",
                                                          "full_powers"), "post",
                                       _post({"decision": "accept"})),
    "protocol:full_powers_download": Page(["organiser", "depositary", VNM_FOCAL], _u(
        "protocol:full_powers_download", "full_powers")),
}


def _api(path, **attrs):
    def url(w):
        out = path
        for key, attr in attrs.items():
            out = out.replace("{" + key + "}", str(getattr(w, attr).pk))
        return out

    return url


OPERATIONS = {
    ("get", "/api/programme/sessions"): Operation(SUMMIT_ROLES),
    ("get", "/api/programme/sessions/{pk}/live"): Operation(
        CONTROL_ROOM, _api("/api/programme/sessions/{pk}/live", pk="session")),
    ("post", "/api/programme/runs/{pk}/go"): Operation(
        SCRIPT_EDITORS, _api("/api/programme/runs/{pk}/go", pk="run"), lambda w: {}),
    ("get", "/api/protocol/sessions/{pk}/speakers"): Operation(
        SUMMIT_ROLES, _api("/api/protocol/sessions/{pk}/speakers", pk="plenary")),
    ("get", "/api/protocol/signing-schedule"): Operation(SUMMIT_ROLES),
}
