"""workbench: thematic analysis of Norwegian focus-group transcripts in the terminal."""

__version__ = "0.1.0"
