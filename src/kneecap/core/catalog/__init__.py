"""The exercise catalog: typed model, loading and validation of the shipped TOML files.

Shipped exercises live in ``kneecap/data/exercises/*.toml``; users' own exercises are
validated by the same :func:`parse_exercise`. See docs/catalog.md for the schema.
"""

from kneecap.core.catalog.check import CatalogError
from kneecap.core.catalog.fit_profile import FIT_CATEGORIES, FIT_NAMES
from kneecap.core.catalog.load import Catalog, load_catalog, load_catalog_dir
from kneecap.core.catalog.model import (
    PRESCRIPTION_KEYS,
    DoseKind,
    Equipment,
    Exercise,
    FitExercise,
    Level,
    Origin,
    Prescription,
    Step,
    Stress,
    estimate_duration_s,
)
from kneecap.core.catalog.parse import PRESCRIPTION_LIMITS, STEP_LIMITS, parse_exercise
from kneecap.core.catalog.serialize import (
    equipment_options,
    exercise_from_dict,
    exercise_to_dict,
    level_to_dict,
)

__all__ = [
    "FIT_CATEGORIES",
    "FIT_NAMES",
    "PRESCRIPTION_KEYS",
    "PRESCRIPTION_LIMITS",
    "STEP_LIMITS",
    "Catalog",
    "CatalogError",
    "DoseKind",
    "Equipment",
    "Exercise",
    "FitExercise",
    "Level",
    "Origin",
    "Prescription",
    "Step",
    "Stress",
    "equipment_options",
    "estimate_duration_s",
    "exercise_from_dict",
    "exercise_to_dict",
    "level_to_dict",
    "load_catalog",
    "load_catalog_dir",
    "parse_exercise",
]
