from django import forms
from django.utils.translation import gettext_lazy as _

from convene.bilaterals.models import Priority, Room, Slot
from convene.bilaterals.services import MAX_LENGTH
from convene.delegations.models import Delegation, Member


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, slot):
        return str(slot)


class SlotMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, slot):
        return str(slot)


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, member):
        return member.full_name


def length_choices(meeting_minutes: int, changeover_minutes: int):
    """1 slot = one meeting; n slots = n meetings and the n-1 changeovers between them."""
    return [(n, _("%(n)d slot(s) — %(minutes)d minutes")
             % {"n": n, "minutes": n * meeting_minutes + (n - 1) * changeover_minutes})
            for n in range(1, MAX_LENGTH + 1)]


class RequestForm(forms.Form):
    counterpart = forms.ModelChoiceField(queryset=Delegation.objects.none(),
                                         label=_("Meet with"))
    topic = forms.CharField(label=_("Topic"), max_length=300)
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Priority.choices,
                                      coerce=int, initial=Priority.NORMAL)
    length = forms.TypedChoiceField(label=_("Length"), coerce=int, initial=1)
    attendees = MemberChoiceField(queryset=Member.objects.none(), required=False,
                                  label=_("Who attends"),
                                  widget=forms.CheckboxSelectMultiple)
    extra_seats = forms.IntegerField(label=_("Other seats (interpreters, note-takers)"),
                                     min_value=0, max_value=20, initial=0)
    preferred_slots = SlotMultipleChoiceField(queryset=Slot.objects.none(), required=False,
                                              label=_("Preferred times"),
                                              widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args, requester, settings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counterpart"].queryset = (
            Delegation.objects.filter(event=requester.event_id).exclude(pk=requester.pk)
            .select_related("entity"))
        self.fields["attendees"].queryset = requester.members.exclude(status="refused")
        self.fields["preferred_slots"].queryset = Slot.objects.filter(event=requester.event_id)
        self.fields["length"].choices = length_choices(settings.meeting_minutes,
                                                       settings.changeover_minutes)


class AnswerForm(forms.Form):
    attendees = MemberChoiceField(queryset=Member.objects.none(), required=False,
                                  label=_("Who attends for your delegation"),
                                  widget=forms.CheckboxSelectMultiple)
    priority = forms.TypedChoiceField(label=_("Your priority"), choices=Priority.choices,
                                      coerce=int, initial=Priority.NORMAL)
    note = forms.CharField(label=_("Message (optional)"), max_length=300, required=False)

    def __init__(self, *args, counterpart, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = counterpart.members.exclude(status="refused")


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "seats", "location"]


class GridForm(forms.Form):
    first_day = forms.DateField(label=_("First day"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("Last day"),
                               widget=forms.DateInput(attrs={"type": "date"}))
    windows = forms.CharField(label=_("Daily windows for bilaterals"), max_length=200,
                              help_text=_("e.g. 09:00-12:30, 14:00-18:00"))
    meeting_minutes = forms.IntegerField(label=_("Meeting length (minutes)"), min_value=5,
                                         max_value=240)
    changeover_minutes = forms.IntegerField(label=_("Changeover after each meeting (minutes)"),
                                            min_value=0, max_value=120)
    auto_accept = forms.BooleanField(
        label=_("Accept requests automatically"), required=False,
        help_text=_("Requests are accepted for the other delegation as soon as they are made; "
                    "otherwise its focal point accepts or declines."))


class RunForm(forms.Form):
    time_limit = forms.IntegerField(label=_("Search for at most (seconds)"), min_value=1,
                                    max_value=600, initial=20)
    move_published = forms.BooleanField(
        label=_("Published meetings may move"), required=False,
        help_text=_("Otherwise they stay where they were published; either way as few as "
                    "possible move."))


class PlaceForm(forms.Form):
    room = forms.ModelChoiceField(queryset=Room.objects.none(), label=_("Room"))
    start_slot = SlotChoiceField(queryset=Slot.objects.none(), label=_("Starts at"))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(event=event)
        self.fields["start_slot"].queryset = Slot.objects.filter(event=event)


class AvailabilityForm(forms.Form):
    unavailable = forms.ModelMultipleChoiceField(queryset=Slot.objects.none(), required=False,
                                                 widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unavailable"].queryset = Slot.objects.filter(event=event)
