"""The explainer views: positions matrix, timeline, relationship map, updates, search, data export.

pages.py asks matrix, timeline and relmap for page contexts; view_files()
gives the files that are not pages (feeds, JSON exports); incremental/viewparts.py
keeps each while nothing it read changed.
"""
