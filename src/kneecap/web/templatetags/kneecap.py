from __future__ import annotations

import functools
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)


@register.simple_tag
def nav() -> SafeString:
    """The main navigation: the same links on every page, so rendered once per process
    (its ten URL reversals were a fifth of a small page's rendering)."""
    return _nav(get_script_prefix())


@functools.cache
def _nav(prefix: str) -> SafeString:  # the prefix is part of every link it holds
    return render_to_string("_nav.html")
