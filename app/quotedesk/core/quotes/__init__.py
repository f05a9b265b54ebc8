"""A quote's own rules: its file, number, validity, lifecycle, sign-off and
editing."""
