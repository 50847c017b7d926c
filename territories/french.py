"""French forms of territory names."""

# The article a département's name takes after "de" (the INSEE "type de nom en clair", TNCC, of the
# Code officiel géographique; the open data the territories come from does not carry it). The others
# take "de", or "d’" before a vowel: « d’Ille-et-Vilaine », « de Loir-et-Cher », « de Paris ».
DEPARTEMENTS_DU = {"14", "15", "18", "25", "29", "30", "32", "39", "45", "46", "56", "59", "62", "63", "67", "68"}
DEPARTEMENTS_DU |= {"69", "81", "83", "84", "90", "94", "95"}
DEPARTEMENTS_DE_LA = {"16", "17", "19", "2A", "2B", "21", "23", "24", "26", "31", "33", "42", "43", "44", "48", "50"}
DEPARTEMENTS_DE_LA |= {"51", "52", "53", "55", "57", "58", "70", "72", "73", "74", "76", "80", "85", "86", "87", "93"}
DEPARTEMENTS_DE_LA |= {"971", "972", "973"}
DEPARTEMENTS_DES = {"04", "05", "06", "08", "13", "22", "40", "64", "65", "66", "78", "79", "88", "92"}
DEPARTEMENTS_DE_L = {"01", "02", "03", "07", "09", "10", "11", "12", "27", "34", "36", "38", "60", "61", "89", "91"}
VOWELS = set("AEIOUYÉÈÊÎÏ")
# Where a noun phrase's complement starts: it keeps its number (« maisons de quartier »).
PREPOSITIONS = {"à", "au", "aux", "de", "du", "des", "en", "pour", "sur", "avec", "sans"}


def of_departement(departement):
    """The name after "de", with its article: « de la Loire », « du Rhône », « de l’Ain », « des Landes »."""
    code, name = departement.code, departement.name
    if code in DEPARTEMENTS_DU:
        return f"du {name}"
    if code in DEPARTEMENTS_DE_LA:
        return f"de la {name}"
    if code in DEPARTEMENTS_DES:
        return f"des {name}"
    if code in DEPARTEMENTS_DE_L:
        return f"de l’{name}"
    return f"d’{name}" if name[:1].upper() in VOWELS else f"de {name}"


def plural_of(phrase):
    """A lowercase French noun phrase in the plural: « centre social » → « centres sociaux »,
    « tiers-lieu » → « tiers-lieux », « médiathèque / bibliothèque » → « médiathèques / bibliothèques »,
    « maison de quartier » → « maisons de quartier » (the complement keeps its number). Words with a
    capital (EPCI, CCAS, France Services) and words already in s, x or z stay as they are."""

    def word(text):
        head, dash, last = text.rpartition("-")
        if not last.isalpha() or last != last.lower() or last[-1] in "sxz":
            return text
        if last.endswith("al"):
            last = last[:-2] + "aux"
        elif last.endswith(("eu", "au")):
            last += "x"
        else:
            last += "s"
        return f"{head}{dash}{last}"

    words = phrase.split(" ")
    for index, text in enumerate(words):
        if text in PREPOSITIONS or text.startswith(("d’", "d'", "l’", "l'")):
            return " ".join([*map(word, words[:index]), *words[index:]])
    return " ".join(map(word, words))


def of_word(text):
    """« de » before a word, elided before a vowel or a mute h: « de novembre 2026 », « d’octobre 2026 »."""
    text = str(text)
    return f"d’{text}" if text[:1].lower() in "aâàeéèêiîoôuûyh" else f"de {text}"
