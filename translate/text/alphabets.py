"""Letter tables of the Kazakh alphabets: Cyrillic to the 2021 Latin alphabet,
the older Latin variants' letters, and the Latin look-alikes typed for Cyrillic
letters. Data only; :mod:`translate.text.translit` and
:mod:`translate.text.normalize` use them.
"""

# fmt: off
CYR_TO_LAT = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
    "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "c", "ч": "ç", "ш": "ş", "щ": "şş", "ъ": "",
    "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}

# How 2017 and 2018 write и/й and у: я and ю are written as й + а and й + у.
I_LETTER = {"2017": "i'", "2018": "ı"}

U_LETTER = {"2017": "y'", "2018": "ý"}

ONE = {
    "a": "а", "ä": "ә", "á": "ә", "b": "б", "c": "ц", "ç": "ч", "d": "д", "e": "е", "f": "ф",
    "g": "г", "ğ": "ғ", "ǵ": "ғ", "h": "х", "ı": "і", "i": "и", "j": "ж", "k": "к", "l": "л",
    "m": "м", "n": "н", "ñ": "ң", "ń": "ң", "o": "о", "ö": "ө", "ó": "ө", "p": "п", "q": "қ",
    "r": "р", "s": "с", "ş": "ш", "t": "т", "u": "у", "ū": "ұ", "ú": "ү", "ü": "ү", "ý": "у",
    "v": "в", "w": "у", "x": "кс", "y": "ы", "z": "з",
}

# Word beginnings of Russian loans written with э (e in Latin); native Kazakh
# words begin with е (ел, екі, есеп), so only these are read as э.
E_LOANS = (
    "ekon", "ekol", "eksp", "ekst", "eksk", "ekz", "ekra", "elekt", "elit", "efir", "effek",
    "etno", "etap", "etik", "epid", "epiz", "emig", "emoc", "energ", "enerj", "ero", "esse",
    "evol", "evak", "eva", "eho",
)

# Latin (and IPA) letters typed for Cyrillic ones; None marks a letter whose
# Cyrillic reading depends on vowel harmony (o: о/ө, y: у/ү).
TO_CYR = {
    "a": "а", "c": "с", "e": "е", "p": "р", "x": "х", "k": "к", "i": "і", "h": "һ", "ə": "ә",
    "ɵ": "ө", "o": None, "y": None, "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К",
    "M": "М", "P": "Р", "T": "Т", "X": "Х", "I": "І", "Ə": "Ә", "Ɵ": "Ө", "O": None, "Y": None,
}

HARMONY = {
    "o": ("о", "ө"), "y": ("у", "ү"), "O": ("О", "Ө"), "Y": ("У", "Ү"),
}

TO_LAT = {
    "а": "a", "с": "c", "е": "e", "о": "o", "р": "p", "х": "x", "у": "y", "к": "k", "і": "i",
    "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "О": "O", "Р": "P",
    "Т": "T", "Х": "X", "І": "I",
}
# fmt: on
