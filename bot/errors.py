"""Errors a user caused and can fix: the CLI and the bots show their message in one line, no traceback."""


class UserError(Exception):
    """Bad input (a missing file, an unknown tracker, a bad date, an unreachable database)."""


class SourceError(UserError):
    """A source could not be fetched or parsed; the message names the source and the reason."""
