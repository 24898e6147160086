"""Quotedesk: who is mentioned in the news and who said what."""

__version__ = "0.1.0"
APP_ID = "org.quotedesk.Quotedesk"
APP_NAME = "Quotedesk"
