"""sahelwatch: news about armed violence in the Sahel -> geocoded, de-duplicated incidents and alerts."""

__version__ = "0.1.0"
