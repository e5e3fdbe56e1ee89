from datetime import datetime

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from convene.core.uploads.fields import BoundedFileField
from convene.reception.models import (
    Direction,
    Driver,
    LiaisonOfficer,
    Movement,
    Place,
    PlaceKind,
    Vehicle,
)


class FlightForm(forms.Form):
    direction = forms.ChoiceField(label=_("Arrival or departure"), choices=Direction.choices)
    travellers = forms.ModelMultipleChoiceField(
        label=_("Who travels on this flight"), queryset=None,
        widget=forms.CheckboxSelectMultiple)
    flight_number = forms.CharField(label=_("Flight"), max_length=20)
    airline = forms.CharField(label=_("Airline"), max_length=100, required=False)
    origin = forms.CharField(label=_("From / to (city)"), max_length=100, required=False)
    airport = forms.ModelChoiceField(label=_("Airport terminal"), queryset=None)
    terminal = forms.CharField(label=_("Terminal"), max_length=40, required=False)
    day = forms.DateField(label=_("Local date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Local time"), widget=forms.TimeInput(attrs={"type": "time"}))
    time_zone = forms.CharField(label=_("Time zone"), max_length=60, initial=settings.TIME_ZONE)
    baggage = forms.IntegerField(label=_("Pieces of baggage"), min_value=0, initial=0,
                                 required=False)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)

    def __init__(self, *args, delegation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["travellers"].queryset = delegation.members.all()
        self.fields["airport"].queryset = Place.objects.filter(event=delegation.event,
                                                               kind=PlaceKind.AIRPORT)


class FlightChangeForm(forms.Form):
    day = forms.DateField(label=_("New local date"),
                          widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("New local time"),
                           widget=forms.TimeInput(attrs={"type": "time"}))
    flight_number = forms.CharField(label=_("New flight number (if it changed)"),
                                    max_length=20, required=False)
    note = forms.CharField(label=_("Why"), max_length=200, required=False)


class TravelImportForm(forms.Form):
    file = BoundedFileField(
        label=_("CSV or Excel file"), limit_name="sheet_max_bytes",
        help_text=_("One traveller per row. Columns: family_name, given_name, direction "
                    "(arrival/departure), flight, airline, origin, airport (code), terminal, "
                    "date (YYYY-MM-DD), time (HH:MM), time_zone, baggage."),
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument."
               "spreadsheetml.sheet")


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("How it was resolved"), max_length=500)


class LiaisonForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Liaison officer"), queryset=None, required=False)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = LiaisonOfficer.objects.filter(event=event)


def combine(day, clock) -> datetime:
    return datetime.combine(day, clock)


class MovementForm(forms.ModelForm):
    class Meta:
        model = Movement
        fields = ["pickup", "arrive_by", "origin", "destination", "category", "vehicle",
                  "driver", "title"]
        widgets = {"pickup": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                 format="%Y-%m-%dT%H:%M"),
                   "arrive_by": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                    format="%Y-%m-%dT%H:%M")}

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].queryset = Place.objects.filter(event=event)
        self.fields["destination"].queryset = Place.objects.filter(event=event)
        self.fields["vehicle"].queryset = Vehicle.objects.filter(event=event)
        self.fields["driver"].queryset = Driver.objects.filter(event=event)
