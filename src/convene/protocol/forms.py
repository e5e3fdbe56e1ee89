from django import forms
from django.utils.translation import gettext_lazy as _

from convene.core.uploads.fields import BoundedFileField
from convene.delegations.models import Delegation, Member, Rank
from convene.directory.models import Entity, EntityKind
from convene.protocol import precedence, seating
from convene.protocol.models import ProtocolSettings

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SettingsForm(forms.ModelForm):
    """The event's policy; one number per rank, per kind of participant and per category."""

    class Meta:
        model = ProtocolSettings
        fields = ["host_delegation", "speaker_time_limit", "host_seating",
                  "signature_host_first", "signature_order", "signing_slot_minutes",
                  "signing_session"]

    def __init__(self, *args, event, **kwargs):
        from convene.programme.models import Session

        super().__init__(*args, **kwargs)
        self.fields["host_delegation"].queryset = Delegation.objects.filter(
            event=event).select_related("entity")
        self.fields["signing_session"].queryset = Session.objects.filter(event=event)
        policy = precedence.PrecedencePolicy.from_overrides(self.instance.rank_bands,
                                                            self.instance.kind_bands)
        for rank in Rank:
            self.fields[f"rank_{rank.value}"] = forms.IntegerField(
                label=_("Band: %(r)s") % {"r": rank.label}, min_value=0, max_value=20,
                initial=policy.rank_bands[rank.value])
        for kind in EntityKind:
            self.fields[f"kind_{kind.value}"] = forms.IntegerField(
                label=_("Lowest band: %(k)s") % {"k": kind.label}, min_value=0, max_value=20,
                initial=policy.kind_bands[kind.value])
        seats = {**seating.DEFAULT_SEATS_PER_KIND, **(self.instance.seats_per_kind or {})}
        for kind in EntityKind:
            self.fields[f"seats_{kind.value}"] = forms.IntegerField(
                label=_("Seats: %(k)s") % {"k": kind.label}, min_value=1, max_value=12,
                initial=seats[kind.value])

    def settings_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields}
        data["rank_bands"] = {r.value: self.cleaned_data[f"rank_{r.value}"] for r in Rank}
        data["kind_bands"] = {k.value: self.cleaned_data[f"kind_{k.value}"] for k in EntityKind}
        data["seats_per_kind"] = {k.value: self.cleaned_data[f"seats_{k.value}"]
                                  for k in EntityKind}
        return data


class InscribeForm(forms.Form):
    speaker = forms.ModelChoiceField(label=_("Speaker"), queryset=Member.objects.none())
    time_limit = forms.IntegerField(label=_("Speaking time (minutes)"), required=False,
                                    min_value=1, max_value=60,
                                    help_text=_("Empty: the list's time limit."))

    def __init__(self, *args, delegations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = (Member.objects.filter(delegation__in=delegations)
                                           .exclude(status="refused")
                                           .select_related("delegation__entity")
                                           .order_by("delegation__entity__name_en", "-is_head"))
        self.fields["speaker"].label_from_instance = (
            lambda m: f"{m.delegation.entity.name_en} — {m.full_name} ({m.get_rank_display()})")


class DrawForm(forms.Form):
    entity = forms.ModelChoiceField(label=_("Member State drawn"),
                                    queryset=Entity.objects.filter(
                                        kind=EntityKind.MEMBER_STATE).order_by("name_en"))
    drawn_by = forms.CharField(label=_("Drawn by"), max_length=200,
                               help_text=_("Who drew the lot, e.g. the Secretary-General."))
    drawn_at = forms.DateTimeField(label=_("Drawn at"), widget=DATETIME)


class BookingForm(forms.Form):
    signer = forms.ModelChoiceField(label=_("Signer"), queryset=Member.objects.none())
    appointment = forms.DateTimeField(label=_("Booked appointment"), widget=DATETIME,
                                      required=False)

    def __init__(self, *args, delegations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer"].queryset = (Member.objects.filter(
            delegation__in=delegations, delegation__entity__kind__in=[
                EntityKind.MEMBER_STATE, EntityKind.OBSERVER_STATE, EntityKind.REIO])
            .exclude(status="refused").select_related("delegation__entity")
            .order_by("delegation__entity__name_en", "-is_head"))
        self.fields["signer"].label_from_instance = (
            lambda m: f"{m.delegation.entity.name_en} — {m.full_name} ({m.get_rank_display()})")


class FullPowersForm(forms.Form):
    # Refused here past the size limit; the content is checked by services.upload_full_powers.
    document = BoundedFileField(label=_("Full powers (PDF or image)"),
                                accept="application/pdf,image/jpeg,image/png")
