from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.core.uploads.fields import BoundedFileField
from convene.directory.models import Entity, EntityKind
from convene.treaty.models import MadeAt, SignatoryCapacity

PARTY_KINDS = [EntityKind.MEMBER_STATE, EntityKind.OBSERVER_STATE, EntityKind.REIO]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _parties():
    return Entity.objects.filter(kind__in=PARTY_KINDS).order_by("name_en")


class SignatureForm(forms.Form):
    entity = forms.ModelChoiceField(queryset=None, label=_("State or REIO"))
    signed_on = forms.DateField(label=_("Date of signature"), widget=DateInput())
    place = forms.ChoiceField(label=_("Place"))
    signatory_name = forms.CharField(label=_("Signatory"), max_length=200)
    signatory_capacity = forms.ChoiceField(label=_("Capacity"),
                                           choices=SignatoryCapacity.choices)
    signatory_function = forms.CharField(label=_("Function"), max_length=200, required=False,
                                         help_text=_("e.g. Minister of Public Security"))
    full_powers_checked = forms.BooleanField(
        label=_("Full powers checked"), required=False,
        help_text=_("Required unless the signatory is Head of State, Head of Government or "
                    "Minister for Foreign Affairs (Vienna Convention on the Law of Treaties, "
                    "art. 7)."))

    def __init__(self, *args, treaty, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = _parties()
        self.fields["place"].choices = [(p, p) for p in treaty.clauses().places]


class CeremonySignatureForm(forms.Form):
    """One row of the ceremony page: the delegation is in the URL, the day is the ceremony's."""

    signed_on = forms.DateField(label=_("Date"), widget=DateInput())
    signatory_name = forms.CharField(label=_("Signatory"), max_length=200)
    signatory_capacity = forms.ChoiceField(label=_("Capacity"),
                                           choices=SignatoryCapacity.choices)
    signatory_function = forms.CharField(label=_("Function"), max_length=200, required=False)
    full_powers_checked = forms.BooleanField(label=_("Full powers checked"), required=False)


class InstrumentForm(forms.Form):
    entity = forms.ModelChoiceField(queryset=None, label=_("State or REIO"))
    kind = forms.ChoiceField(label=_("Instrument"))
    deposited_on = forms.DateField(label=_("Date of deposit"), widget=DateInput())

    def __init__(self, *args, treaty, **kwargs):
        from convene.treaty.models import InstrumentKind

        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = _parties()
        labels = dict(InstrumentKind.choices)
        self.fields["kind"].choices = [(k.code, labels.get(k.code, k.code))
                                       for k in treaty.clauses().instrument_kinds]


class StatementForm(forms.Form):
    entity = forms.ModelChoiceField(queryset=None, label=_("State or REIO"))
    kind = forms.ChoiceField(label=_("Reservation, declaration or notification"))
    made_at = forms.ChoiceField(label=pgettext_lazy("when a statement was made", "Made"),
                                choices=MadeAt.choices)
    made_on = forms.DateField(label=_("Date"), widget=DateInput())
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}),
                           max_length=20_000)

    def __init__(self, *args, treaty, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = _parties()
        self.fields["kind"].choices = [
            (k.code, f"{k.label} (art. {k.article})" if k.article else k.label)
            for k in treaty.clauses().statements]


class WithdrawalForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput())


class StatusImportForm(forms.Form):
    # Refused here past the size limit; the content is read by services.import_status_table.
    file = BoundedFileField(label=_("CSV or Excel file"), limit_name="sheet_max_bytes",
                            help_text=_("One participant per row; the columns are listed "
                                        "above."), accept=".csv,.xlsx")


class DenunciationForm(forms.Form):
    entity = forms.ModelChoiceField(queryset=None, label=_("State or REIO"))
    received_on = forms.DateField(label=_("Notification received on"), widget=DateInput())

    def __init__(self, *args, treaty, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = _parties()
        self.fields["received_on"].help_text = _(
            "The denunciation takes effect %(n)s months after the depositary receives the "
            "notification (art. %(art)s).") % {
            "n": treaty.clauses().denunciation.months_after,
            "art": treaty.clauses().denunciation.effect_article or "—"}


class ObjectionForm(forms.Form):
    statement = forms.ChoiceField(label=_("Reservation or declaration objected to"))
    entity = forms.ModelChoiceField(queryset=None, label=_("Objecting State or REIO"))
    made_on = forms.DateField(label=_("Date of the objection"), widget=DateInput())
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}),
                           max_length=20_000)
    precludes_entry_into_force = forms.BooleanField(
        label=_("The objecting State opposes the entry into force of the treaty between "
                "itself and the reserving State"), required=False,
        help_text=_("Only if it said so expressly (Vienna Convention on the Law of Treaties, "
                    "art. 20(4)(b))."))

    def __init__(self, *args, treaty, **kwargs):
        from convene.treaty.models import Statement

        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = _parties()
        kinds = {k.code: k for k in treaty.clauses().statements}
        self.statements = {
            str(s.pk): s for s in Statement.objects.filter(treaty=treaty, withdrawn_on__isnull=True)
            .select_related("entity")
            if kinds.get(s.kind) and kinds[s.kind].category in ("reservation", "declaration")}
        self.fields["statement"].choices = [("", "—")] + [
            (pk, f"{s.entity} — {kinds[s.kind].label} ({s.made_on:%Y-%m-%d})")
            for pk, s in self.statements.items()]

    def clean_statement(self):
        statement = self.statements.get(self.cleaned_data["statement"])
        if statement is None:
            raise forms.ValidationError(_("Choose the reservation or declaration."))
        return statement


class ArticleTitleForm(forms.Form):
    title = forms.CharField(label=_("Title as in the official text"), max_length=300)
    source = forms.CharField(
        label=_("Checked against"), max_length=300,
        help_text=_("e.g. A/RES/79/243, annex (English), page 40"))
