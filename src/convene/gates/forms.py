from django import forms
from django.utils.translation import gettext_lazy as _

from convene.accreditation.models import Zone
from convene.gates.models import Direction


class CheckpointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("e.g. “Plenary hall — north door”"))
    zone = forms.ModelChoiceField(queryset=Zone.objects.none(), label=_("Zone"))
    direction = forms.ChoiceField(choices=Direction.choices, label=_("Direction"))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["zone"].queryset = Zone.objects.filter(event=event)

    def clean_name(self):
        from convene.gates.models import Checkpoint

        name = self.cleaned_data["name"]
        if Checkpoint.objects.filter(event=self.event, name=name).exists():
            raise forms.ValidationError(_("There is already a checkpoint with this name."))
        return name
