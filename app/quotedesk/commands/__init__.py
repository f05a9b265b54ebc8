"""Command-line handlers that need only the pricing core."""
