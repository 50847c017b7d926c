from django import template

from territories.french import of_departement, of_word, plural_of

register = template.Library()


@register.filter
def pluriel(count, suffixes="s"):
    """French plural: singular for 0 and 1, unlike Django's ``pluralize`` (``0 membre``, ``2 membres``).

    ``{{ n|pluriel }}`` adds "s"; ``{{ n|pluriel:"al,aux" }}`` picks one of two endings.
    """
    singular, _, plural = suffixes.rpartition(",") if "," in suffixes else ("", "", suffixes)
    try:
        many = abs(int(count)) >= 2
    except (TypeError, ValueError):
        try:
            many = len(count) >= 2
        except TypeError:
            return singular
    return plural if many else singular


@register.filter
def de(departement):
    """``réseau {{ departement|de }}``: « réseau de la Loire », « réseau du Rhône », « réseau de l’Ain »."""
    return of_departement(departement) if departement else ""


@register.filter
def de_mot(text):
    """``la lettre {{ month|de_mot }}``: « la lettre de novembre 2026 », « la lettre d’octobre 2026 »."""
    return of_word(text)


@register.filter
def accorde(noun, count):
    """``{{ n }} {{ label|accorde:n }}``: the noun agrees with the number (« 2 communes », « 3 centres sociaux »)."""
    return plural_of(noun) if pluriel(count) else noun
