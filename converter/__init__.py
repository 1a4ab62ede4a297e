"""gongbao: PDF-extracted text of the Ningxia government gazette → Markdown pages, JSON and a static site."""

__version__ = "0.1.0"
