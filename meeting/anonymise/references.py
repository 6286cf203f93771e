"""Layer 1's references to a site or an organisation, found by their shape: postal addresses (from their house
numbers), EU VAT numbers (kept only when the checksum says so, in ``patterns``), and stock tickers by what marks
them as a listing. Split from ``patterns`` (issue 29: no module over 500 lines); ``patterns`` re-exports them.
"""
from __future__ import annotations

import re

import ahocorasick

from meeting.anonymise.folding import UP

# A site's postal address. Germanic and Nordic: the street word ends a capitalised word, the number follows
# ("Hauptstraße 12", "Keizersgracht 123", "Vesterbrogade 4A", "Berliner Straße 5"); Romance, Polish and
# English: the street word first ("rue de la Paix 3", "Calle Mayor 5", "ul. Marszałkowska 10") or the number
# first ("221B Baker Street"). A postcode and town after it go with it ("80331 München", "1015 CJ Amsterdam").
_STREET_SUFFIX = (r"(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|ufer|chaussee|straat|laan|gracht|"
                  r"plein|kade|singel|vej|gade|gatan|vägen|gata|veien|gate|allé)")
_STREET_FIRST = (r"(?:rue|avenue|av\.|boulevard|bd|chemin|place|allée|quai|calle|c/|avenida|avda\.|paseo|plaza|"
                 r"carrer|rambla|ul\.|ulica|al\.|aleja|via|viale|piazza|rua)")
_STREET_AFTER = r"(?:street|st\.?|road|rd\.?|avenue|ave\.?|lane|drive|way|close|crescent|place|square)"
_HOUSE = r"\d{1,4}[a-zA-Z]?(?:[-/]\d{1,4}[a-zA-Z]?)?"
_TOWN = rf",?[^\S\r\n]*(?:[A-Z]{{1,2}}-)?\d{{4,5}}(?:[^\S\r\n]?[A-Z]{{2}})?[^\S\r\n]+{UP}[^\W\d_]+(?:[ -]{UP}[^\W\d_]+)?"
_HOUSE_NUMBER = re.compile(r"(?<![\w/.,:+-])\d{1,4}[a-zA-Z]?(?:[-/]\d{1,4}[a-zA-Z]?)?(?![\w%/]|[.,:-]\d)")
# Pieces of the street words above, lower case: a text without any of them has no address (a few substring
# tests in C instead of a regex at every number).
_STREET_HINTS = ("stra", "str.", "weg", "gasse", "platz", "allee", "ring", "damm", "ufer", "chaussee", "laan",
                 "gracht", "plein", "kade", "singel", "vej", "gade", "gatan", "gata ", "vägen", "veien", "gate ",
                 "allé", "rue ", "av.", "avenue", "avda", "avenida", "bd ", "chemin", "place", "quai", "calle ", "c/",
                 "paseo", "plaza", "carrer", "rambla", " ul.", "ulica", " al.", "aleja", "via ", "viale", "piazza",
                 "rua ", "street", " st ", " st.", "road", " rd", " ave", "lane", "drive", " way", "close",
                 "crescent", "square")
# What comes before a house number: the street, its word at the end ("...straße", "Berliner Straße") or at
# the start ("rue de la Paix", "ul. Marszałkowska"). Searched in the few characters before each number.
_STREET_BEFORE = re.compile(
    rf"(?:(?<![\w-]){UP}[^\W\d_]*{_STREET_SUFFIX}|(?<![\w-]){UP}[^\W\d_]+[^\S\r\n]+(?i:{_STREET_SUFFIX[3:-1]})"
    rf"|(?<![\w-])(?i:{_STREET_FIRST})[^\S\r\n]+(?:(?:de|del|de la|des|du|di|da|do|dos|das)[^\S\r\n]+)?"
    rf"{UP}[^\W\d_]+(?:[^\S\r\n]+{UP}[^\W\d_]+)?,?)[^\S\r\n]+\Z")
_STREET_AFTER_NUMBER = re.compile(
    rf"[^\S\r\n]+{UP}[^\W\d_]+(?:[^\S\r\n]+{UP}[^\W\d_]+)?[^\S\r\n]+(?i:{_STREET_AFTER})(?![\w])")
_TOWN_AFTER = re.compile(_TOWN)


def _keyword_automaton(words: tuple[str, ...]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


def contains_any(automaton: ahocorasick.Automaton, text: str) -> bool:
    """Does ``text`` contain one of the automaton's words? One pass over the text, where ``any(w in text
    for w in words)`` makes one per word (55 street hints cost a twelfth of the redaction time that way)."""
    return next(automaton.iter(text), None) is not None


_STREET_HINT_FINDER = _keyword_automaton(_STREET_HINTS)


def address_spans(text: str, lowered: str | None = None) -> list[tuple[int, int, str]]:
    """Postal addresses, found from their house numbers (few digits, so not in the digit windows).
    ``lowered``: ``text.lower()``, when the caller has it already."""
    lowered = " " + (text.lower() if lowered is None else lowered)  # a space first: " ul." at the start too
    if not contains_any(_STREET_HINT_FINDER, lowered):
        return []
    out = []
    for number in _HOUSE_NUMBER.finditer(text):
        start, end = number.span()
        # The street word is near the number, before or after it: cheap substring tests first.
        before, after_text = lowered[max(0, start - 48):start + 1], lowered[end + 1:end + 41]
        street = _STREET_BEFORE.search(text, max(0, start - 48), start) \
            if contains_any(_STREET_HINT_FINDER, before) else None
        if street:
            start = street.start()
        else:
            after = _STREET_AFTER_NUMBER.match(text, end) if contains_any(_STREET_HINT_FINDER, after_text) else None
            if not after:
                continue
            end = after.end()
        town = _TOWN_AFTER.match(text, end)
        out.append((start, town.end() if town else end, ADDRESS_LABEL))
    return out


ADDRESS_LABEL = "[an address]"
ORG_LABEL = "[an organisation]"

# An EU (or UK, Swiss, Norwegian) VAT number: the country prefix and 8 to 12 characters, kept only when the
# checksum (python-stdnum) says it is one: "DE136695976", "NL004495445B01", "BE 0403.170.701".
_VAT_COUNTRIES = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT",
                  "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI", "GB", "CHE", "NO")
VAT_NUMBER = re.compile(rf"\b(?:{'|'.join(_VAT_COUNTRIES)})[ .-]?(?:[0-9A-Z][ .-]?){{7,13}}[0-9A-Z]\b(?:[ ]?(?:MVA|TVA|IVA|MWST))?")
VAT_COUNTRY_FINDER = _keyword_automaton(_VAT_COUNTRIES)
VAT_LABEL = "[VAT number]"

# A stock ticker points at a listed organisation as surely as its name. Tickers are short capitals, like
# acronyms and product codes, so one is taken only with what marks it as a listing: an exchange before it
# ("NYSE: KO", "(Xetra: SIE)", "Euronext Amsterdam: ASML"), an exchange suffix after it ("SIE.DE", "7203.T",
# "VOD.L"), a cashtag ("$ASML") or a ticker word in one of the division's languages ("Börsenkürzel SIE",
# "symbole boursier MC", "código bursátil ITX", "ticker symbol KO"). A bare capitalised word never is one.
_EXCHANGES = (r"NYSE(?:[^\S\r\n]+American|[^\S\r\n]+Arca)?|NASDAQ|Nasdaq|AMEX|XETRA|Xetra|XETR|ETR|FWB|FRA|"
              r"LSE|LON|AIM|Euronext(?:[^\S\r\n]+(?:Paris|Amsterdam|Brussels|Bruxelles|Lisbon|Lisboa|Dublin|Oslo|Milan))?|"
              r"EPA|AMS|EBR|ELI|BIT|BME|SIX|SWX|VTX|OMX|STO|CPH|HEL|ICE|OSL|WSE|GPW|VIE|WBAG|TSE|TYO|JPX|HKEX|HKG|"
              r"KRX|KOSPI|KOSDAQ|SGX|ASX|TSX|BMV|B3|Tadawul|TADAWUL")
_TICKER = r"[A-Z0-9]{1,6}(?:[.-][A-Z0-9]{1,3})?"
_EXCHANGE_SUFFIXES = r"DE|F|PA|AS|BR|LS|IR|MI|MC|SW|VX|ST|CO|HE|OL|IC|WA|VI|L|T|HK|KS|KQ|SI|AX|TO|SR|SA|MX"
_TICKER_WORDS = (r"ticker(?:[^\S\r\n]+symbol)?|tickersymbol|stock[^\S\r\n]+symbol|share[^\S\r\n]+code|börsenkürzel|"
                 r"aktienkürzel|wertpapierkürzel|symbole[^\S\r\n]+boursier|mnémonique|código[^\S\r\n]+bursátil|"
                 r"símbolo[^\S\r\n]+bursátil|beurssymbool|fondscode|aandelencode")
STOCK_TICKER = re.compile(
    rf"(?<![\w])(?:{_EXCHANGES})[^\S\r\n]*:[^\S\r\n]*{_TICKER}(?![\w%])"
    rf"|(?<![\w.$])[A-Z0-9]{{1,6}}\.(?:{_EXCHANGE_SUFFIXES})(?![\w.%])"
    rf"|(?<![\w$])\$[A-Z][A-Z0-9]{{0,5}}(?:\.[A-Z]{{1,2}})?(?![\w%])"
    # After a ticker word only the ticker goes: "Börsenkürzel: [an organisation]" still reads.
    rf"|(?i:(?<![\w])(?:{_TICKER_WORDS}))[^\S\r\n]*(?:[:=]|(?i:is|es|est|ist|lautet|är|er|was|war|era|était)(?=[^\S\r\n]))?"
    rf"[^\S\r\n]*(?P<named>(?-i:[\"“„'‘«]?[^\S\r\n]?{_TICKER}[^\S\r\n]?[\"”“'’»]?))(?![\w%])"
)
# Cheap tests that every form needs one of (most texts have "." and ":" but no listing): a capital right after a
# dot, a "$", a ticker word, or an exchange right before a colon.
_TICKER_SUFFIX_AT = re.compile(r"\.[A-Z]")
_EXCHANGE_COLON = re.compile(rf"(?:{_EXCHANGES})[^\S\r\n]*:")
_TICKER_WORD_HINTS = ("ticker", "symbol", "kürzel", "mnémonique", "bursátil", "beurs", "fondscode", "share code",
                      "aandelencode")
_TICKER_WORD_FINDER = _keyword_automaton(_TICKER_WORD_HINTS)
# Currency codes written as a cashtag ("$USD") are money, not a listing.
_CURRENCY_CASHTAGS = frozenset({"$USD", "$EUR", "$GBP", "$CHF", "$JPY", "$SEK", "$NOK", "$DKK", "$PLN", "$CAD",
                                "$AUD", "$HKD", "$SGD", "$CNY", "$KRW", "$USDT", "$BTC", "$ETH"})


def ticker_spans(text: str, lowered: str | None = None) -> list[tuple[int, int, str]]:
    """Stock tickers, by what marks them as a listing (see ``STOCK_TICKER``). ``lowered``: ``text.lower()``."""
    if not ("$" in text or _TICKER_SUFFIX_AT.search(text) or (":" in text and _EXCHANGE_COLON.search(text))):
        if not contains_any(_TICKER_WORD_FINDER, text.lower() if lowered is None else lowered):
            return []
    return [(m.start("named"), m.end("named"), ORG_LABEL) if m.group("named") else (m.start(), m.end(), ORG_LABEL)
            for m in STOCK_TICKER.finditer(text) if m.group() not in _CURRENCY_CASHTAGS]
