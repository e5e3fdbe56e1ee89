"""Forms of the press pages: what a person types, checked field by field."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from convene.accreditation.models import Zone
from convene.core.uploads.fields import BoundedFileField
from convene.press.models import (
    CoverageOpportunity,
    Function,
    ItemKind,
    MediaOutlet,
    OutletKind,
    PositionKind,
    ReleaseKind,
    Reserved,
)


class StaffForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=40, required=False)
    given_name = forms.CharField(label=_("given name(s)"), max_length=120, required=False)
    family_name = forms.CharField(label=_("family name"), max_length=120)
    email = forms.EmailField(label=_("email"), required=False)
    function = forms.ChoiceField(label=_("function"), choices=Function.choices)
    press_card = forms.CharField(label=_("press card number"), max_length=60, required=False,
                                 help_text=_("Where your country issues one."))
    nationality = forms.CharField(label=_("nationality"), max_length=100)
    passport_number = forms.CharField(label=_("passport number"), max_length=40)
    passport_expiry = forms.DateField(label=_("passport valid until"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    date_of_birth = forms.DateField(label=_("date of birth"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    languages = forms.CharField(label=_("languages"), max_length=200, required=False)
    letter = BoundedFileField(label=_("letter of assignment (PDF)"), required=False)
    photo = BoundedFileField(label=_("photo"), required=False)


class ApplicationForm(StaffForm):
    outlet = forms.ModelChoiceField(label=_("outlet"), queryset=MediaOutlet.objects.none(),
                                    required=False,
                                    empty_label=_("Freelance (no outlet)"))
    email = forms.EmailField(label=_("email"))
    letter = BoundedFileField(label=_("letter of assignment (PDF)"))
    photo = BoundedFileField(label=_("photo"))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].queryset = MediaOutlet.objects.filter(
            delegation__event=event).exclude(kind="freelance").select_related(
            "delegation__entity")


class OutletForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    code = forms.CharField(label=_("acronym"), max_length=25, required=False)
    kind = forms.ChoiceField(label=_("kind of outlet"), choices=OutletKind.choices)
    foreign = forms.BooleanField(label=_("foreign media"), required=False, initial=True)
    country = forms.CharField(label=_("country"), max_length=100, required=False)
    tier = forms.IntegerField(label=_("pool priority tier"), min_value=0, max_value=9,
                              initial=2)
    reserved = forms.ChoiceField(label=_("reserved pool places"), choices=Reserved.choices,
                                 required=False)


class EquipmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("item"), choices=ItemKind.choices)
    description = forms.CharField(label=_("make and model"), max_length=120, required=False)
    serial = forms.CharField(label=_("serial number"), max_length=80)


class OpportunityForm(forms.ModelForm):
    class Meta:
        model = CoverageOpportunity
        fields = ["title", "session", "meeting", "zone", "starts_at", "ends_at", "photo", "tv",
                  "writer", "agency"]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
                   "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = Zone.objects.filter(event=event)
        self.fields["session"].queryset = self.fields["session"].queryset.filter(event=event)
        self.fields["meeting"].queryset = self.fields["meeting"].queryset.filter(
            request__requester__event=event).select_related("request")
        for name in ("starts_at", "ends_at"):
            self.fields[name].required = False
            self.fields[name].help_text = _("Leave empty to take the session's or meeting's "
                                            "times.")

    def clean(self):
        data = super().clean()
        linked = data.get("session") or data.get("meeting")
        if linked is not None:
            data["starts_at"] = data.get("starts_at") or getattr(
                linked, "starts_at", None) or linked.start
            data["ends_at"] = data.get("ends_at") or getattr(linked, "ends_at", None) or linked.end
        for name in ("starts_at", "ends_at"):
            if not data.get(name):
                self.add_error(name, _("Give the time, or link a session or meeting."))
        return data


class PlaceRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("position"), choices=PositionKind.choices)


class ReleaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ReleaseKind.choices)
    language = forms.ChoiceField(label=_("language"), choices=settings.LANGUAGES, initial="en")
    title = forms.CharField(label=_("title"), max_length=300)
    body = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 10}),
                           help_text=_("Insert figures as [[name]], e.g. [[signatures]]."))
    embargo_until = forms.DateTimeField(label=_("embargoed until"), required=False,
                                        widget=forms.DateTimeInput(
                                            attrs={"type": "datetime-local"}))


class TextForm(forms.Form):
    language = forms.ChoiceField(label=_("language"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("title"), max_length=300)
    body = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 10}))


class CorrectionForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=300)
    body = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 10}))
    reason = forms.CharField(label=_("reason for the correction"), max_length=500)
    refresh_figures = forms.BooleanField(label=_("update the figures to their current values"),
                                         required=False)
