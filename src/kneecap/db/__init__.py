"""Storage: the Django models, their migrations, and one conversion pair per model."""
