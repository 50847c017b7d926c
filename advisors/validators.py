import re

from django.core.exceptions import ValidationError

_PHONE = re.compile(r"^\+?[0-9 .\-()]{6,25}$")


def luhn_ok(digits):
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_siret(value):
    """A SIRET is 14 digits with a valid Luhn key (La Poste's establishments are the known exception)."""
    digits = value.replace(" ", "")
    if not digits.isdigit() or len(digits) != 14:
        raise ValidationError("Un SIRET compte exactement 14 chiffres (exemple : 214 202 187 00016).", code="format")
    # La Poste (SIREN 356000000) numbers its establishments with a rule of its own.
    if digits.startswith("356000000"):
        if sum(int(char) for char in digits) % 5 != 0:
            raise ValidationError("Ce SIRET n’est pas valide : vérifiez les chiffres.", code="checksum")
        return
    if not luhn_ok(digits):
        raise ValidationError("Ce SIRET n’est pas valide : vérifiez les chiffres.", code="checksum")


def validate_phone(value):
    if value and not _PHONE.match(value):
        raise ValidationError("Numéro de téléphone non valide (exemple : 04 77 12 34 56).", code="phone")
