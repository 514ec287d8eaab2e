"""The quality gates of `tagship gate`: which gates (spec), on which commit (checkout), with
what content key (cache, environment), planned (plan), run in parallel (runner), shown
(display) and explained (explain). Nothing is imported here, to keep start-up fast.
"""
