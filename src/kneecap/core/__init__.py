"""The pure domain: catalog, planning, progression, load and screening.

Standard library only; no Django, no I/O beyond reading the shipped catalog files.
Time is always a parameter (``today``, ``now``), never read from the clock here.
"""
