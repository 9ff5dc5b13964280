"""The use cases of training that the web app, the API, the CLI and the worker all call."""
