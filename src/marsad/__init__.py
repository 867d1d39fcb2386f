"""marsad: Arabic news to structured, cited, bilingual data."""

__version__ = "0.1.0"
