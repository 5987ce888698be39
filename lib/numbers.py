"""Numbers in running text, written as the active language writes them.

``decimal(0.66, 2)`` is "0,66" in Swedish and "0.66" in English: the decimal separator comes
from Django's format files for the active language (``django.utils.formats``), so numbers
put into a translated sentence read like the numbers the templates show (``floatformat``).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

MINUS = "\u2212"  # the minus sign, not a hyphen


def decimal(value, places: int = 1) -> str:
    """``value`` rounded half away from zero (as ``floatformat`` rounds) to ``places``
    decimals, with the active language's decimal separator; "" for None. Negative numbers
    get a real minus sign (−)."""
    if value is None:
        return ""
    step = Decimal(1).scaleb(-places)
    rounded = Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)
    text = number_format(rounded, decimal_pos=places, use_l10n=True)
    return text.replace("-", MINUS) if text.startswith("-") else text
