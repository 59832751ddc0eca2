"""Redis stream names, defined once. Consumers use one consumer group per stage."""

ARTICLES = "articles"
EXTRACTED = "incidents.extracted"
GEOCODED = "incidents.geocoded"
INCIDENTS = "incidents"
ALERTS = "alerts"


def dead_letter(stage: str) -> str:
    """Per-stage dead-letter stream: messages the stage gave up on, with the error."""
    return f"dlq.{stage}"
