"""Two readings of text that every layer needs, written once: a whole number, and an error's first line.

Plain Python on purpose: the settings, gunicorn's config file, the API's parameters, the
commands and the sandbox all import it, and it must not need Django to be set up.
"""

import re

# ASCII digits only: str.isdigit() also takes superscript and full-width digits, and int() of 5,000 digits raises.
WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")


def whole_number(text, *, minimum=0, maximum=None):
    """`text` as an int within [minimum, maximum]; ValueError with the end of a sentence ("must be a whole
    number from 1 to 100, not '500'.") for the caller to put its name in front of."""
    bounds = f"from {minimum} to {maximum}" if maximum is not None else f"of at least {minimum}"
    if not WHOLE_NUMBER.fullmatch(text) or int(text) < minimum or (maximum is not None and int(text) > maximum):
        raise ValueError(f"must be a whole number {bounds}, not {text!r}.")
    return int(text)


def first_line(error):
    """The first line of an exception's message (database drivers add lines of context and hints)."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
