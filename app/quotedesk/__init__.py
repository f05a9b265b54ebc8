"""Quote Desk: offline quote builder for Atlassian licence resellers."""

__version__ = "0.1.0"
