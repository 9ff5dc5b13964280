"""kneecap: knee strength and mobility training for runners."""

__version__ = "0.1.0"
