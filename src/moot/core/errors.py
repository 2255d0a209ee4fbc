"""Errors a person using moot can cause. Views turn them into messages, never into a 500."""


class MootError(Exception):
    """Base class: ``str(error)`` is a message fit to show the person who caused it."""


class FileRejected(MootError):
    """An uploaded or imported file that moot will not accept, with the reason."""


class InvalidTransition(MootError):
    """A state change that is not allowed from the current state."""
