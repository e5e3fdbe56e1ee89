from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.delegations.models import Member
from convene.programme.models import Cue, Day, ParticipationRole, Room, RunKind, Session

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DayForm(forms.ModelForm):
    class Meta:
        model = Day
        fields = ["date", "title"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "capacity", "rows", "seats_per_row", "location"]


class ZonesField(forms.CharField):
    """Access zone codes, comma-separated (plain strings until accreditation, issue 3)."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        return [z.strip().upper() for z in (value or "").split(",") if z.strip()]


class SessionForm(forms.ModelForm):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME)
    allowed_zones = ZonesField(
        label=_("Access zones"), required=False,
        help_text=_("Badge zone codes that admit to the session, separated by commas "
                    "(e.g. A, P). Empty: any accredited person."))

    class Meta:
        model = Session
        fields = ["day", "kind", "title", "description", "starts_at", "ends_at", "room",
                  "expected_attendance", "allowed_zones", "is_public"]

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].queryset = Day.objects.filter(event=event)
        self.fields["room"].queryset = Room.objects.filter(event=event)
        self.fields["description"].widget.attrs["rows"] = 3


class ParticipationForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ParticipationRole.choices)
    member = forms.ModelChoiceField(label=_("Person"), queryset=Member.objects.none(),
                                    required=False)
    name = forms.CharField(label=_("or a name (not in a delegation)"), required=False,
                           max_length=200)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (Member.objects.filter(delegation__event=event)
                                          .exclude(status="refused")
                                          .select_related("delegation__entity")
                                          .order_by("delegation__entity__name_en",
                                                    "-is_head", "family_name"))
        self.fields["member"].label_from_instance = (
            lambda m: f"{m.delegation.entity.name_en} — {m.full_name}")


class CueForm(forms.ModelForm):
    planned_at = forms.DateTimeField(label=_("Planned time"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local", "step": 1}, format="%Y-%m-%dT%H:%M:%S"))
    duration_minutes = forms.DecimalField(label=_("Duration (minutes)"), min_value=0,
                                          max_value=600, decimal_places=2, initial=1)

    class Meta:
        model = Cue
        fields = ["planned_at", "what", "where", "task_force", "notes_interpreters",
                  "notes_stage", "notes_media"]
        widgets = {f: forms.Textarea(attrs={"rows": 2})
                   for f in ("notes_interpreters", "notes_stage", "notes_media")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["duration_minutes"] = round(self.instance.duration_seconds / 60, 2)
        self.order_fields(["planned_at", "duration_minutes", "what", "where", "task_force"])

    def cue_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "duration_minutes"}
        data["duration_seconds"] = int(self.cleaned_data["duration_minutes"] * 60)
        return data


class RunStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of run"), choices=RunKind.choices,
                             initial=RunKind.REHEARSAL)
    label = forms.CharField(label=_("Label"), required=False, max_length=120)


class FindingForm(forms.Form):
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 2}))
    cue = forms.ModelChoiceField(label=pgettext_lazy("run-of-show cue", "Cue"),
                                 queryset=Cue.objects.none(), required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)

    def __init__(self, *args, session, **kwargs):
        from convene.accounts.models import STAFF_ROLES, User

        super().__init__(*args, **kwargs)
        self.fields["cue"].queryset = session.cues.all()
        self.fields["cue"].label_from_instance = lambda c: f"{c.position}. {c.what}"
        self.fields["owner"].queryset = (User.objects.filter(
            role_assignments__role__in=[r.value for r in STAFF_ROLES]).distinct()
            .order_by("username"))
