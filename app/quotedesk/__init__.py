"""Quote Desk: offline quote builder for Atlassian licence resellers.

The version is pyproject.toml's, read from the installed metadata (`quotedesk --version`).
"""
