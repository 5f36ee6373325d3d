from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from newsletter import addresses, consent
from newsletter.languages import newsletter_languages

HONEYPOT_FIELD = "website"


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Newsletter language"), choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = newsletter_languages()


class SubscribeForm(LanguageForm):
    """What the subscribe box posts. The honeypot is checked by the view first."""

    email = forms.CharField(label=_("Email address"), max_length=1000)
    consent_version = forms.CharField(required=False, max_length=32)
    consent_shown = forms.CharField(required=False, max_length=16)
    source = forms.CharField(required=False, max_length=1000)

    field_order = ["email", "language"]

    def clean_email(self):
        try:
            return addresses.clean_email(self.cleaned_data["email"])
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from None

    def clean_consent_version(self):
        return consent.known_version(self.cleaned_data.get("consent_version", ""))

    def clean_consent_shown(self):
        """The language the box showed the consent text in; "" if it is not one
        of the newsletter's (an old cached page sends none)."""
        code = self.cleaned_data.get("consent_shown", "")
        return code if code in dict(self.fields["language"].choices) else ""

    def clean_source(self):
        path = self.cleaned_data.get("source", "")
        # Only a path on this site: this is recorded, never followed.
        return path[:250] if path.startswith("/") and not path.startswith("//") else ""


class ImportForm(forms.Form):
    MAX_BYTES = 20 * 1024 * 1024

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, first line naming the columns: “email” and, optionally, “language” "
            "(en, be, ru). Other columns are ignored."
        ),
    )
    default_language = forms.ChoiceField(
        label=_("Language for rows without one"), required=False, choices=()
    )
    already_consented = forms.BooleanField(
        label=_("These people have already consented to receive the newsletter elsewhere"),
        required=False,
        help_text=_(
            "Ticked: they are subscribed at once, and the statement below is recorded as "
            "their consent. Not ticked: each gets a confirmation email and is subscribed "
            "only after confirming."
        ),
    )
    consent_statement = forms.CharField(
        label=_("How and to what they consented"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: “Signed up on the paper form at the 2026 Minsk conference.”"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_language"].choices = [("", "—"), *newsletter_languages()]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(mb)d MB; split it into smaller files.")
                % {"mb": self.MAX_BYTES // (1024 * 1024)}
            )
        return upload

    def clean(self):
        data = super().clean()
        if data.get("already_consented") and not (data.get("consent_statement") or "").strip():
            self.add_error(
                "consent_statement",
                _("Say how and to what these people consented; it is recorded as their consent."),
            )
        return data
