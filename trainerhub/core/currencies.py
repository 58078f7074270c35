"""Currencies a practice may charge in (ISO 4217)."""

CURRENCY_CHOICES = [
    ("EUR", "Euro (EUR)"),
    ("USD", "US dollar (USD)"),
    ("GBP", "Pound sterling (GBP)"),
    ("CHF", "Swiss franc (CHF)"),
    ("CAD", "Canadian dollar (CAD)"),
    ("AUD", "Australian dollar (AUD)"),
    ("NZD", "New Zealand dollar (NZD)"),
    ("SEK", "Swedish krona (SEK)"),
    ("NOK", "Norwegian krone (NOK)"),
    ("DKK", "Danish krone (DKK)"),
    ("PLN", "Polish złoty (PLN)"),
    ("CZK", "Czech koruna (CZK)"),
    ("JPY", "Japanese yen (JPY)"),
    ("INR", "Indian rupee (INR)"),
    ("BRL", "Brazilian real (BRL)"),
    ("MXN", "Mexican peso (MXN)"),
    ("ZAR", "South African rand (ZAR)"),
    ("SGD", "Singapore dollar (SGD)"),
]
CURRENCY_CODES = frozenset(code for code, _ in CURRENCY_CHOICES)
