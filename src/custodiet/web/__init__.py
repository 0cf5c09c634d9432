"""The web atlas: server-rendered pages, each with a JSON twin made by the same view."""
