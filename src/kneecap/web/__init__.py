"""The Django shell around kneecap's core: web pages, REST API, persistence."""
