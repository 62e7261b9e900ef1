"""Errors that services raise; views and the API turn them into messages and status codes.

- django.core.exceptions.PermissionDenied: the actor may not do this (403).
- django.core.exceptions.ValidationError: the input is wrong (400).
- StateConflict: the object is not in a state that allows this (409).
"""


class StateConflict(Exception):
    """The object's current state does not allow the requested change."""
