"""The catalog: the shipped exercise files (one TOML file each), loaded once and validated."""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from kneecap.core.catalog.check import CatalogError
from kneecap.core.catalog.model import Equipment, Exercise, Origin, Stress
from kneecap.core.catalog.parse import parse_exercise

_ORIGIN_RANK = {Origin.SEED: 0, Origin.KNEECAP: 1, Origin.CUSTOM: 2}


def _order(ex: Exercise) -> tuple[int, int, int, str]:
    # The seed's seven first in the article's order, then kneecap's additions, then custom.
    return (_ORIGIN_RANK[ex.origin], 0 if ex.module == "knee" else 1, ex.position, ex.slug)


class Catalog:
    """A set of exercises by slug, iterated in a stable order."""

    __slots__ = ("_by_slug",)

    def __init__(self, exercises: Iterable[Exercise]) -> None:
        by_slug: dict[str, Exercise] = {}
        for ex in sorted(exercises, key=_order):
            if ex.slug in by_slug:
                raise CatalogError(ex.slug, "slug", f"{ex.slug!r} is used by two exercises")
            by_slug[ex.slug] = ex
        self._by_slug = by_slug

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._by_slug.values())

    def __len__(self) -> int:
        return len(self._by_slug)

    def __contains__(self, slug: object) -> bool:
        return slug in self._by_slug

    def slugs(self) -> tuple[str, ...]:
        return tuple(self._by_slug)

    def get(self, slug: str) -> Exercise:
        """The exercise with this slug; ``KeyError`` naming it when there is none."""
        try:
            return self._by_slug[slug]
        except KeyError:
            raise KeyError(f"no exercise {slug!r}") from None

    def filter(
        self,
        equipment: Iterable[Equipment | str] = (),
        stress: Stress | str | None = None,
        module: str | None = None,
    ) -> Catalog:
        """Exercises with a level that uses any of ``equipment`` (``none``: a level needing
        nothing) and a level of class ``stress``. Empty criteria match everything."""
        wanted = frozenset(Equipment(e) for e in equipment)
        level = Stress(stress) if stress is not None else None
        return Catalog(
            ex
            for ex in self
            if (not wanted or _uses(ex, wanted))
            and (level is None or any(ex.level_stress(lvl) is level for lvl in ex.levels))
            and (module is None or ex.module == module)
        )


def _uses(ex: Exercise, wanted: frozenset[Equipment]) -> bool:
    for lvl in ex.levels:
        needs = ex.level_equipment(lvl) - {Equipment.NONE}
        if needs & wanted or (not needs and Equipment.NONE in wanted):
            return True
    return False


def load_catalog_dir(path: Path | Traversable) -> Catalog:
    """Load and validate every ``*.toml`` file in a directory; the first problem raises."""
    files = sorted((f for f in path.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
    return Catalog(_load_file(f) for f in files)


def _load_file(file: Path | Traversable) -> Exercise:
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(file.name, "", f"not valid TOML: {exc}") from None
    exercise = parse_exercise(data, file.name, origin=None)
    stem = file.name.removesuffix(".toml")
    if exercise.slug != stem:
        raise CatalogError(file.name, "slug", f"must match the file name ({stem!r})")
    return exercise


@functools.cache
def load_catalog() -> Catalog:
    """The shipped catalog (``kneecap/data/exercises``), read once per process."""
    return load_catalog_dir(resources.files("kneecap.data").joinpath("exercises"))
