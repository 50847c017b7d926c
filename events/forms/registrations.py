from django import forms


class VisitorRegistrationForm(forms.Form):
    """A person without an account registers with a name and an address, then confirms by email."""

    name = forms.CharField(
        label="Prénom et nom",
        max_length=150,
        error_messages={"required": "Indiquez votre prénom et votre nom.", "max_length": "150 caractères au plus."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        help_text="Vous y recevrez le lien qui confirme votre inscription.",
        error_messages={
            "required": "Indiquez votre adresse électronique.",
            "invalid": "Saisissez une adresse électronique valide, par exemple nom@exemple.fr.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "inscription_%s")
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Indiquez votre prénom et votre nom.")
        return name


class AttendanceForm(forms.Form):
    """One person marked present or absent on the day (one button per choice)."""

    registration = forms.IntegerField(min_value=1, max_value=2**62)
    attendance = forms.ChoiceField(
        choices=[("present", "présent"), ("absent", "absent"), ("", "effacer")], required=False
    )
