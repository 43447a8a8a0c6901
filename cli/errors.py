"""Errors a subcommand raises for problems the user can fix."""


class CommandError(Exception):
    """Printed by ``cli.main`` as one line ``claimex COMMAND: message``; exit status 2."""
