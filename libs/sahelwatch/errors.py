"""The one exception hierarchy. Library errors are translated into these at the edges."""


class SahelwatchError(Exception):
    """Base of every error sahelwatch raises on purpose."""


class ConfigError(SahelwatchError):
    """Configuration is missing or invalid; raised at start, before any work."""


class BadInput(SahelwatchError):
    """Input refused at the edge (malformed article, unknown format); the message names the problem."""

    def __init__(self, message: str, *, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


class PermanentError(SahelwatchError):
    """A message that can never succeed (schema violation): dead-lettered at once, not retried."""


class StackError(SahelwatchError):
    """The local stack (redis-server, mongod, services) could not start or stop."""


class GazetteerError(SahelwatchError):
    """A gazetteer file is missing or malformed."""


class RulesError(SahelwatchError):
    """Alert rules are invalid; the message names the rule and the field."""
