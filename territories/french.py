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
